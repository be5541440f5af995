package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** graphql.parse_query, parse_schema, parse, parse_and_verify, is_valid, schema_is_valid. */
final class GraphQlBuiltins {
  private GraphQlBuiltins() {}

  /** A validation error with an optional position. */
  static final class Invalid extends Exception {
    final int line;
    final int column;

    Invalid(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  static void register(BuiltinRegistry.Builder b) {
    b.add("graphql.parse_query", 1, (ctx, a) -> GraphQl.strip(query("graphql.parse_query", a.get(0), 0)));
    b.add("graphql.parse_schema", 1, (ctx, a) -> schema("graphql.parse_schema", a.get(0), 0));
    b.add("graphql.parse", 2, (ctx, a) -> {
      String fn = "graphql.parse";
      Value q = query(fn, a.get(0), 0);
      Value s = schema(fn, a.get(1), 1);
      try {
        validate(q, s);
      } catch (Invalid e) {
        throw failure(fn, e.getMessage(), e.line, e.column);
      }
      return ArrayValue.of(GraphQl.strip(q), s);
    });
    b.add("graphql.parse_and_verify", 2, (ctx, a) -> {
      String fn = "graphql.parse_and_verify";
      try {
        Value q = query(fn, a.get(0), 0);
        Value s = schema(fn, a.get(1), 1);
        validate(q, s);
        return ArrayValue.of(BooleanValue.TRUE, GraphQl.strip(q), s);
      } catch (Invalid | BuiltinException e) {
        return ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
      }
    });
    b.add("graphql.is_valid", 2, (ctx, a) -> {
      try {
        validate(query("graphql.is_valid", a.get(0), 0), schema("graphql.is_valid", a.get(1), 1));
        return BooleanValue.TRUE;
      } catch (Invalid | BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
    b.add("graphql.schema_is_valid", 1, (ctx, a) -> {
      try {
        new Schema(schema("graphql.schema_is_valid", a.get(0), 0));
        return BooleanValue.TRUE;
      } catch (Invalid | BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
  }

  private static BuiltinException failure(String fn, String message, int line, int column) {
    String where = line > 0 ? " in GraphQL string at location " + line + ":" + column : "";
    return BuiltinException.failure(fn, message + where);
  }

  private static Value query(String fn, Value v, int i) throws BuiltinException {
    if (v instanceof ObjectValue) return v;
    if (!(v instanceof StringValue s)) throw Operands.typeError(fn, i, v, "string", "object");
    try {
      return GraphQl.parseQueryWithPositions(s.value());
    } catch (GraphQl.SyntaxError e) {
      throw failure(fn, e.getMessage(), e.line, e.column);
    }
  }

  private static Value schema(String fn, Value v, int i) throws BuiltinException {
    if (v instanceof ObjectValue) return v;
    if (!(v instanceof StringValue s)) throw Operands.typeError(fn, i, v, "string", "object");
    try {
      return GraphQl.parseSchema(s.value());
    } catch (GraphQl.SyntaxError e) {
      throw failure(fn, e.getMessage(), e.line, e.column);
    }
  }

  // ---------------------------------------------------------------- schema model

  private static List<Value> list(Value o, String key) {
    if (o instanceof ObjectValue obj && obj.get(key) instanceof ArrayValue arr) return arr.elements();
    return List.of();
  }

  private static String text(Value o, String key) {
    if (o instanceof ObjectValue obj && obj.get(key) instanceof StringValue s) return s.value();
    return "";
  }

  /** A type definition merged from its definition and extensions. */
  private static final class TypeDef {
    String kind;
    final Map<String, Value> fields = new LinkedHashMap<>();
    final Set<String> members = new HashSet<>();
    final Set<String> enumValues = new HashSet<>();
  }

  private static final class Schema {
    final Map<String, TypeDef> types = new HashMap<>();
    final Map<String, String> roots = new HashMap<>();
    final Set<String> directives = new HashSet<>(Set.of("include", "skip", "deprecated", "specifiedBy", "oneOf"));

    Schema(Value doc) throws Invalid {
      for (String scalar : new String[] {"Int", "Float", "String", "Boolean", "ID"}) {
        TypeDef t = new TypeDef();
        t.kind = "SCALAR";
        types.put(scalar, t);
      }
      Set<String> defined = new HashSet<>();
      for (Value d : list(doc, "Definitions")) {
        String name = text(d, "Name");
        if (!defined.add(name) || (types.containsKey(name) && !isBuiltinScalar(name))) {
          throw new Invalid("Cannot redeclare type " + name + ".", 0, 0);
        }
        merge(d);
      }
      for (Value d : list(doc, "Extensions")) merge(d);
      for (Value d : list(doc, "Directives")) directives.add(text(d, "Name"));
      for (Value s : list(doc, "Schema")) for (Value op : list(s, "OperationTypes")) roots.put(text(op, "Operation"), text(op, "Type"));
      for (Value s : list(doc, "SchemaExtension")) for (Value op : list(s, "OperationTypes")) roots.put(text(op, "Operation"), text(op, "Type"));
      if (!roots.containsKey("query") && types.containsKey("Query")) roots.put("query", "Query");
      if (!roots.containsKey("mutation") && types.containsKey("Mutation")) roots.put("mutation", "Mutation");
      if (!roots.containsKey("subscription") && types.containsKey("Subscription")) roots.put("subscription", "Subscription");
      for (Map.Entry<String, String> r : roots.entrySet()) {
        if (!types.containsKey(r.getValue())) throw new Invalid("Undefined type " + r.getValue() + ".", 0, 0);
      }
      for (Map.Entry<String, TypeDef> e : types.entrySet()) {
        TypeDef t = e.getValue();
        for (Value f : t.fields.values()) {
          checkType(((ObjectValue) f).get("Type"));
          for (Value arg : list(f, "Arguments")) checkType(((ObjectValue) arg).get("Type"));
        }
        for (String m : t.members) if (!types.containsKey(m)) throw new Invalid("Undefined type " + m + ".", 0, 0);
      }
    }

    private static boolean isBuiltinScalar(String name) {
      return name.equals("Int") || name.equals("Float") || name.equals("String") || name.equals("Boolean") || name.equals("ID");
    }

    private void checkType(Value type) throws Invalid {
      String named = namedType(type);
      if (!named.isEmpty() && !types.containsKey(named)) throw new Invalid("Undefined type " + named + ".", 0, 0);
    }

    private void merge(Value d) {
      String name = text(d, "Name");
      TypeDef t = types.computeIfAbsent(name, k -> new TypeDef());
      if (t.kind == null || t.kind.isEmpty()) t.kind = text(d, "Kind");
      for (Value f : list(d, "Fields")) t.fields.put(text(f, "Name"), f);
      for (Value m : list(d, "Types")) if (m instanceof StringValue s) t.members.add(s.value());
      for (Value ev : list(d, "EnumValues")) t.enumValues.add(text(ev, "Name"));
    }
  }

  private static String namedType(Value type) {
    Value cur = type;
    while (cur instanceof ObjectValue o && o.get("Elem") instanceof ObjectValue elem) cur = elem;
    return text(cur, "NamedType");
  }

  private static String typeString(Value type) {
    if (!(type instanceof ObjectValue o)) return "";
    String base = o.get("Elem") instanceof ObjectValue elem ? "[" + typeString(elem) + "]" : text(o, "NamedType");
    return o.get("NonNull") == BooleanValue.TRUE ? base + "!" : base;
  }

  // ---------------------------------------------------------------- query validation

  private static int line(Value v) { return v instanceof ObjectValue o && o.get("$line") instanceof NumberValue n ? n.asInt().orElse(0) : 0; }

  private static int col(Value v) { return v instanceof ObjectValue o && o.get("$col") instanceof NumberValue n ? n.asInt().orElse(0) : 0; }

  static void validate(Value queryDoc, Value schemaDoc) throws Invalid {
    Schema schema = new Schema(schemaDoc);
    Map<String, Value> fragments = new HashMap<>();
    for (Value f : list(queryDoc, "Fragments")) {
      if (fragments.put(text(f, "Name"), f) != null) throw new Invalid("There can be only one fragment named \"" + text(f, "Name") + "\".", 0, 0);
      String cond = text(f, "TypeCondition");
      if (!schema.types.containsKey(cond)) throw new Invalid("Unknown type \"" + cond + "\".", 0, 0);
    }
    for (Value op : list(queryDoc, "Operations")) {
      String kind = text(op, "Operation");
      String root = schema.roots.get(kind);
      if (root == null) throw new Invalid("Schema does not support operation type \"" + kind + "\"", 0, 0);
      Map<String, Value> declared = new LinkedHashMap<>();
      for (Value v : list(op, "VariableDefinitions")) {
        declared.put(text(v, "Variable"), v);
        String t = namedType(((ObjectValue) v).get("Type"));
        if (!schema.types.containsKey(t)) throw new Invalid("Unknown type \"" + t + "\".", 0, 0);
      }
      Set<String> used = new HashSet<>();
      selections(schema, fragments, root, list(op, "SelectionSet"), declared, used, new HashSet<>());
      for (String v : declared.keySet()) {
        if (!used.contains(v)) throw new Invalid("Variable \"$" + v + "\" is never used.", 0, 0);
      }
    }
  }

  private static void selections(Schema schema, Map<String, Value> fragments, String parent, List<Value> set,
      Map<String, Value> declared, Set<String> used, Set<String> visiting) throws Invalid {
    TypeDef parentType = schema.types.get(parent);
    for (Value sel : set) {
      ObjectValue s = (ObjectValue) sel;
      directives(schema, list(s, "Directives"), declared, used);
      if (s.get("Alias") != null) {
        String name = text(s, "Name");
        if (name.startsWith("__")) {
          continue;
        }
        Value field = parentType == null ? null : parentType.fields.get(name);
        if (field == null) throw new Invalid("Cannot query field \"" + name + "\" on type \"" + parent + "\".", line(s), col(s));
        Set<String> given = new HashSet<>();
        for (Value arg : list(s, "Arguments")) {
          String argName = text(arg, "Name");
          given.add(argName);
          boolean known = false;
          for (Value def : list(field, "Arguments")) known |= text(def, "Name").equals(argName);
          if (!known) throw new Invalid("Unknown argument \"" + argName + "\" on field \"" + parent + "." + name + "\".", line(s), col(s));
          variables(((ObjectValue) arg).get("Value"), declared, used);
        }
        for (Value def : list(field, "Arguments")) {
          ObjectValue d = (ObjectValue) def;
          boolean required = d.get("Type") instanceof ObjectValue t && t.get("NonNull") == BooleanValue.TRUE && d.get("DefaultValue") == null;
          if (required && !given.contains(text(d, "Name"))) {
            throw new Invalid("Field \"" + name + "\" argument \"" + text(d, "Name") + "\" of type \"" + typeString(d.get("Type"))
                + "\" is required, but it was not provided", line(s), col(s));
          }
        }
        String fieldType = namedType(((ObjectValue) field).get("Type"));
        TypeDef ft = schema.types.get(fieldType);
        boolean composite = ft != null && (ft.kind.equals("OBJECT") || ft.kind.equals("INTERFACE") || ft.kind.equals("UNION"));
        List<Value> sub = list(s, "SelectionSet");
        if (composite && sub.isEmpty()) {
          throw new Invalid("Field \"" + name + "\" of type \"" + typeString(((ObjectValue) field).get("Type")) + "\" must have a selection of subfields. Did you mean \"" + name + " { ... }\"?", line(s), col(s));
        }
        if (!composite && !sub.isEmpty()) {
          throw new Invalid("Field \"" + name + "\" must not have a selection since type \"" + typeString(((ObjectValue) field).get("Type")) + "\" has no subfields.", line(s), col(s));
        }
        if (!sub.isEmpty()) selections(schema, fragments, fieldType, sub, declared, used, visiting);
      } else if (s.get("TypeCondition") != null) {
        String cond = text(s, "TypeCondition");
        if (!cond.isEmpty() && !schema.types.containsKey(cond)) throw new Invalid("Unknown type \"" + cond + "\".", 0, 0);
        selections(schema, fragments, cond.isEmpty() ? parent : cond, list(s, "SelectionSet"), declared, used, visiting);
      } else {
        String name = text(s, "Name");
        Value frag = fragments.get(name);
        if (frag == null) throw new Invalid("Unknown fragment \"" + name + "\".", 0, 0);
        if (!visiting.add(name)) throw new Invalid("Cannot spread fragment \"" + name + "\" within itself.", 0, 0);
        selections(schema, fragments, text(frag, "TypeCondition"), list(frag, "SelectionSet"), declared, used, visiting);
        directives(schema, list(frag, "Directives"), declared, used);
        visiting.remove(name);
      }
    }
  }

  private static void directives(Schema schema, List<Value> dirs, Map<String, Value> declared, Set<String> used) throws Invalid {
    for (Value d : dirs) {
      String name = text(d, "Name");
      if (!schema.directives.contains(name)) throw new Invalid("Unknown directive \"@" + name + "\".", 0, 0);
      for (Value arg : list(d, "Arguments")) variables(((ObjectValue) arg).get("Value"), declared, used);
    }
  }

  private static void variables(Value value, Map<String, Value> declared, Set<String> used) throws Invalid {
    if (!(value instanceof ObjectValue v)) return;
    if (v.get("Kind") instanceof NumberValue k && k.asInt().orElse(-1) == 0) {
      String name = text(v, "Raw");
      if (!declared.containsKey(name)) throw new Invalid("Variable \"$" + name + "\" is not defined.", 0, 0);
      used.add(name);
    }
    for (Value child : list(v, "Children")) variables(((ObjectValue) child).get("Value"), declared, used);
  }


}
