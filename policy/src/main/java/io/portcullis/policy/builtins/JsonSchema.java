package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON Schema (draft 4-7 core) validator for json.verify_schema and json.match_schema, reporting
 * errors the way gojsonschema does ({@code field}, {@code type}, {@code desc}, {@code error}).
 */
final class JsonSchema {
  private JsonSchema() {}

  /** A schema that is itself invalid. */
  static final class InvalidSchema extends Exception {
    InvalidSchema(String message) { super(message, null, false, false); }
  }

  private static final Set<String> TYPES = Set.of("array", "boolean", "integer", "number", "null", "object", "string");

  /** Checks the schema's own structure. */
  static void check(Value schema) throws InvalidSchema {
    if (schema instanceof BooleanValue) return;
    if (!(schema instanceof ObjectValue o)) throw new InvalidSchema("schema must be an object or a boolean");
    Value type = o.get("type");
    if (type != null) {
      List<Value> types = type instanceof ArrayValue arr ? arr.elements() : List.of(type);
      for (Value t : types) {
        if (!(t instanceof StringValue s) || !TYPES.contains(s.value())) {
          throw new InvalidSchema("has a primitive type that is NOT VALID -- given: /" + (t instanceof StringValue s2 ? s2.value() : Json.render(t))
              + "/ Expected valid values are:[array boolean integer number null object string]");
        }
      }
    }
    for (String key : new String[] {"properties", "patternProperties", "definitions", "$defs"}) {
      if (o.get(key) instanceof ObjectValue props) for (Value sub : props.entries().values()) check(sub);
    }
    for (String key : new String[] {"additionalProperties", "items", "not", "additionalItems", "contains", "propertyNames", "if", "then", "else"}) {
      Value sub = o.get(key);
      if (sub instanceof ObjectValue || sub instanceof BooleanValue) check(sub);
      else if (sub instanceof ArrayValue arr && key.equals("items")) for (Value s : arr.elements()) check(s);
    }
    for (String key : new String[] {"allOf", "anyOf", "oneOf"}) {
      if (o.get(key) instanceof ArrayValue arr) for (Value s : arr.elements()) check(s);
    }
  }

  /** Validates doc; returns gojsonschema-style error objects (empty when valid). */
  static List<Value> validate(Value doc, Value schema) {
    List<Value> errors = new ArrayList<>();
    validate(doc, schema, schema, "(root)", errors);
    return errors;
  }

  private static void error(List<Value> errors, String field, String type, String desc) {
    errors.add(ObjectValue.builder()
        .put("field", new StringValue(field))
        .put("type", new StringValue(type))
        .put("desc", new StringValue(desc))
        .put("error", new StringValue(field + ": " + desc))
        .build());
  }

  private static String child(String field, String key) { return field.equals("(root)") ? key : field + "." + key; }

  private static String typeOf(Value v) {
    if (v instanceof NullValue) return "null";
    if (v instanceof BooleanValue) return "boolean";
    if (v instanceof NumberValue n) return n.isInteger() ? "integer" : "number";
    if (v instanceof StringValue) return "string";
    if (v instanceof ArrayValue || v instanceof SetValue) return "array";
    return "object";
  }

  private static boolean hasType(Value v, String type) {
    String actual = typeOf(v);
    return actual.equals(type) || (type.equals("number") && actual.equals("integer"));
  }

  private static Value resolve(Value root, Value schema) {
    if (schema instanceof ObjectValue o && o.get("$ref") instanceof StringValue ref && ref.value().startsWith("#")) {
      Value cur = root;
      String path = ref.value().substring(1);
      if (path.startsWith("/")) path = path.substring(1);
      if (!path.isEmpty()) {
        for (String seg : path.split("/")) {
          if (!(cur instanceof ObjectValue co)) return schema;
          cur = co.get(seg.replace("~1", "/").replace("~0", "~"));
          if (cur == null) return schema;
        }
      }
      return cur;
    }
    return schema;
  }

  private static void validate(Value doc, Value schemaIn, Value root, String field, List<Value> errors) {
    Value schema = resolve(root, schemaIn);
    if (schema instanceof BooleanValue b) {
      if (!b.value()) error(errors, field, "false", "False always fails validation");
      return;
    }
    if (!(schema instanceof ObjectValue s)) return;
    Value type = s.get("type");
    if (type != null) {
      List<Value> types = type instanceof ArrayValue arr ? arr.elements() : List.of(type);
      boolean ok = false;
      List<String> names = new ArrayList<>();
      for (Value t : types) {
        String name = ((StringValue) t).value();
        names.add(name);
        ok |= hasType(doc, name);
      }
      if (!ok) {
        error(errors, field, "invalid_type", "Invalid type. Expected: " + String.join(",", names) + ", given: " + typeOf(doc));
        return;
      }
    }
    if (s.get("enum") instanceof ArrayValue en) {
      boolean ok = false;
      for (Value e : en.elements()) ok |= e.compareTo(doc) == 0;
      if (!ok) {
        List<String> opts = new ArrayList<>();
        for (Value e : en.elements()) opts.add(EncodingBuiltins.marshal(e, "", null));
        error(errors, field, "enum", field + " must be one of the following: " + String.join(", ", opts));
      }
    }
    Value konst = s.get("const");
    if (konst != null && konst.compareTo(doc) != 0) error(errors, field, "const", field + " does not match: " + EncodingBuiltins.marshal(konst, "", null));
    if (doc instanceof NumberValue n) numberChecks(n.bigDecimal(), s, field, errors);
    if (doc instanceof StringValue str) {
      int len = str.value().codePointCount(0, str.value().length());
      if (s.get("minLength") instanceof NumberValue m && len < m.bigDecimal().intValue()) {
        error(errors, field, "string_gte", "String length must be greater than or equal to " + m);
      }
      if (s.get("maxLength") instanceof NumberValue m && len > m.bigDecimal().intValue()) {
        error(errors, field, "string_lte", "String length must be less than or equal to " + m);
      }
      if (s.get("pattern") instanceof StringValue p) {
        try {
          if (!GoRegex.compile(p.value()).matcher(str.value()).find()) {
            error(errors, field, "pattern", "Does not match pattern '" + p.value() + "'");
          }
        } catch (GoRegex.SyntaxError e) {
          error(errors, field, "pattern", "Does not match pattern '" + p.value() + "'");
        }
      }
    }
    if (doc instanceof ArrayValue || doc instanceof SetValue) arrayChecks(doc instanceof ArrayValue a ? a.elements() : new ArrayList<>(((SetValue) doc).members()), s, root, field, errors);
    if (doc instanceof ObjectValue o) objectChecks(o, s, root, field, errors);
    if (s.get("allOf") instanceof ArrayValue all) for (Value sub : all.elements()) validate(doc, sub, root, field, errors);
    if (s.get("anyOf") instanceof ArrayValue any) {
      boolean ok = false;
      for (Value sub : any.elements()) ok |= validate(doc, sub, root).isEmpty();
      if (!ok) error(errors, field, "number_any_of", "Must validate at least one schema (anyOf)");
    }
    if (s.get("oneOf") instanceof ArrayValue one) {
      int count = 0;
      for (Value sub : one.elements()) if (validate(doc, sub, root).isEmpty()) count++;
      if (count != 1) error(errors, field, "number_one_of", "Must validate one and only one schema (oneOf)");
    }
    if (s.get("not") != null && validate(doc, s.get("not"), root).isEmpty()) error(errors, field, "number_not", "Must not validate the schema (not)");
    if (s.get("if") != null) {
      boolean cond = validate(doc, s.get("if"), root).isEmpty();
      Value branch = cond ? s.get("then") : s.get("else");
      if (branch != null) validate(doc, branch, root, field, errors);
    }
  }

  private static List<Value> validate(Value doc, Value schema, Value root) {
    List<Value> errors = new ArrayList<>();
    validate(doc, schema, root, "(root)", errors);
    return errors;
  }

  private static void numberChecks(BigDecimal n, ObjectValue s, String field, List<Value> errors) {
    if (s.get("multipleOf") instanceof NumberValue m && m.bigDecimal().signum() != 0
        && n.remainder(m.bigDecimal()).signum() != 0) {
      error(errors, field, "multiple_of", "Must be a multiple of " + m);
    }
    Value min = s.get("minimum");
    Value exMin = s.get("exclusiveMinimum");
    if (min instanceof NumberValue m) {
      boolean exclusive = exMin instanceof BooleanValue b && b.value();
      int c = n.compareTo(m.bigDecimal());
      if (exclusive ? c <= 0 : c < 0) error(errors, field, exclusive ? "number_gt" : "number_gte",
          "Must be greater than " + (exclusive ? "" : "or equal to ") + m);
    }
    if (exMin instanceof NumberValue m && n.compareTo(m.bigDecimal()) <= 0) error(errors, field, "number_gt", "Must be greater than " + m);
    Value max = s.get("maximum");
    Value exMax = s.get("exclusiveMaximum");
    if (max instanceof NumberValue m) {
      boolean exclusive = exMax instanceof BooleanValue b && b.value();
      int c = n.compareTo(m.bigDecimal());
      if (exclusive ? c >= 0 : c > 0) error(errors, field, exclusive ? "number_lt" : "number_lte",
          "Must be less than " + (exclusive ? "" : "or equal to ") + m);
    }
    if (exMax instanceof NumberValue m && n.compareTo(m.bigDecimal()) >= 0) error(errors, field, "number_lt", "Must be less than " + m);
  }

  private static void arrayChecks(List<Value> items, ObjectValue s, Value root, String field, List<Value> errors) {
    if (s.get("minItems") instanceof NumberValue m && items.size() < m.bigDecimal().intValue()) {
      error(errors, field, "array_min_items", "Array must have at least " + m + " items");
    }
    if (s.get("maxItems") instanceof NumberValue m && items.size() > m.bigDecimal().intValue()) {
      error(errors, field, "array_max_items", "Array must have at most " + m + " items");
    }
    if (s.get("uniqueItems") instanceof BooleanValue u && u.value() && new TreeSet<>(items).size() != items.size()) {
      error(errors, field, "unique", "array items must be unique");
    }
    Value itemSchema = s.get("items");
    if (itemSchema instanceof ArrayValue tuple) {
      for (int i = 0; i < items.size(); i++) {
        if (i < tuple.size()) validate(items.get(i), tuple.get(i), root, child(field, Integer.toString(i)), errors);
        else if (s.get("additionalItems") != null) validate(items.get(i), s.get("additionalItems"), root, child(field, Integer.toString(i)), errors);
      }
    } else if (itemSchema != null) {
      for (int i = 0; i < items.size(); i++) validate(items.get(i), itemSchema, root, child(field, Integer.toString(i)), errors);
    }
    if (s.get("contains") != null) {
      boolean ok = false;
      for (Value item : items) ok |= validate(item, s.get("contains"), root).isEmpty();
      if (!ok) error(errors, field, "contains", "At least one of the items must match");
    }
  }

  private static void objectChecks(ObjectValue o, ObjectValue s, Value root, String field, List<Value> errors) {
    if (s.get("required") instanceof ArrayValue req) {
      for (Value r : req.elements()) {
        if (r instanceof StringValue name && o.get(name.value()) == null) error(errors, field, "required", name.value() + " is required");
      }
    }
    if (s.get("minProperties") instanceof NumberValue m && o.size() < m.bigDecimal().intValue()) {
      error(errors, field, "array_min_properties", "Must have at least " + m + " properties");
    }
    if (s.get("maxProperties") instanceof NumberValue m && o.size() > m.bigDecimal().intValue()) {
      error(errors, field, "array_max_properties", "Must have at most " + m + " properties");
    }
    ObjectValue props = s.get("properties") instanceof ObjectValue p ? p : ObjectValue.EMPTY;
    ObjectValue patterns = s.get("patternProperties") instanceof ObjectValue p ? p : ObjectValue.EMPTY;
    Value additional = s.get("additionalProperties");
    for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
      String key = e.getKey() instanceof StringValue k ? k.value() : Json.render(e.getKey());
      boolean matched = false;
      Value sub = props.get(key);
      if (sub != null) {
        matched = true;
        validate(e.getValue(), sub, root, child(field, key), errors);
      }
      for (Map.Entry<Value, Value> pe : patterns.entries().entrySet()) {
        if (!(pe.getKey() instanceof StringValue pat)) continue;
        boolean hit;
        try {
          hit = GoRegex.compile(pat.value()).matcher(key).find();
        } catch (GoRegex.SyntaxError ex) {
          hit = false;
        }
        if (hit) {
          matched = true;
          validate(e.getValue(), pe.getValue(), root, child(field, key), errors);
        }
      }
      if (!matched && additional != null) {
        if (additional instanceof BooleanValue b && !b.value()) {
          error(errors, field, "additional_property_not_allowed", "Additional property " + key + " is not allowed");
        } else if (additional instanceof ObjectValue) {
          validate(e.getValue(), additional, root, child(field, key), errors);
        }
      }
    }
    if (s.get("dependencies") instanceof ObjectValue deps) {
      for (Map.Entry<Value, Value> d : deps.entries().entrySet()) {
        if (!(d.getKey() instanceof StringValue k) || o.get(k.value()) == null) continue;
        if (d.getValue() instanceof ArrayValue needed) {
          for (Value n : needed.elements()) {
            if (n instanceof StringValue ns && o.get(ns.value()) == null) error(errors, field, "missing_dependency", "Has a dependency on " + ns.value());
          }
        } else {
          validate(o, d.getValue(), root, field, errors);
        }
      }
    }
  }
}
