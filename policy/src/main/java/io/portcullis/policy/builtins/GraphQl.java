package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * A GraphQL lexer and parser producing the AST shape OPA returns (gqlparser's structs as JSON, with
 * positions, nulls and empty collections pruned), for schema documents and executable documents.
 */
final class GraphQl {
  private GraphQl() {}

  /** A syntax error, worded like gqlparser's, with the 1-based line and column. */
  static final class SyntaxError extends Exception {
    final int line;
    final int column;

    SyntaxError(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private enum Kind { NAME, INT, FLOAT, STRING, BLOCK_STRING, PUNCT, EOF, INVALID }

  private record Token(Kind kind, String value, int line, int column) {
    String describe() {
      return switch (kind) {
        case EOF -> "<EOF>";
        case INVALID -> "<Invalid>";
        case NAME -> "Name \"" + value + "\"";
        case STRING -> "String \"" + value + "\"";
        case BLOCK_STRING -> "BlockString \"" + value + "\"";
        case INT -> "Int \"" + value + "\"";
        case FLOAT -> "Float \"" + value + "\"";
        default -> value;
      };
    }

    String shortText() {
      return switch (kind) {
        case EOF -> "<EOF>";
        case INVALID -> "<Invalid>";
        default -> value;
      };
    }
  }

  // ---------------------------------------------------------------- lexer

  private static List<Token> lex(String src) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int line = 1;
    int lineStart = 0;
    int n = src.length();
    while (true) {
      // skip ignored tokens
      while (i < n) {
        char c = src.charAt(i);
        if (c == '\n') {
          i++;
          line++;
          lineStart = i;
        } else if (c == '\r') {
          i++;
          if (i < n && src.charAt(i) == '\n') i++;
          line++;
          lineStart = i;
        } else if (c == ' ' || c == '\t' || c == ',' || c == '\uFEFF') {
          i++;
        } else if (c == '#') {
          while (i < n && src.charAt(i) != '\n' && src.charAt(i) != '\r') i++;
        } else {
          break;
        }
      }
      int col = i - lineStart + 1;
      if (i >= n) {
        out.add(new Token(Kind.EOF, "", line, col));
        return out;
      }
      char c = src.charAt(i);
      if ("!$&():=@[]{}|".indexOf(c) >= 0) {
        out.add(new Token(Kind.PUNCT, String.valueOf(c), line, col));
        i++;
        continue;
      }
      if (c == '.' && src.startsWith("...", i)) {
        out.add(new Token(Kind.PUNCT, "...", line, col));
        i += 3;
        continue;
      }
      if (c == '_' || Character.isLetter(c) && c < 128) {
        int j = i;
        while (j < n && (src.charAt(j) == '_' || (src.charAt(j) < 128 && Character.isLetterOrDigit(src.charAt(j))))) j++;
        out.add(new Token(Kind.NAME, src.substring(i, j), line, col));
        i = j;
        continue;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        int j = i;
        if (src.charAt(j) == '-') j++;
        while (j < n && Character.isDigit(src.charAt(j))) j++;
        boolean isFloat = false;
        if (j < n && src.charAt(j) == '.') {
          isFloat = true;
          j++;
          while (j < n && Character.isDigit(src.charAt(j))) j++;
        }
        if (j < n && (src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
          isFloat = true;
          j++;
          if (j < n && (src.charAt(j) == '+' || src.charAt(j) == '-')) j++;
          while (j < n && Character.isDigit(src.charAt(j))) j++;
        }
        out.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, src.substring(i, j), line, col));
        i = j;
        continue;
      }
      if (src.startsWith("\"\"\"", i)) {
        int j = i + 3;
        StringBuilder raw = new StringBuilder();
        boolean closed = false;
        int startLine = line;
        while (j < n) {
          if (src.startsWith("\"\"\"", j)) {
            closed = true;
            break;
          }
          if (src.startsWith("\\\"\"\"", j)) {
            raw.append("\"\"\"");
            j += 4;
            continue;
          }
          char d = src.charAt(j);
          if (d == '\n' || d == '\r') {
            if (d == '\r' && j + 1 < n && src.charAt(j + 1) == '\n') j++;
            line++;
            lineStart = j + 1;
            raw.append('\n');
            j++;
            continue;
          }
          raw.append(d);
          j++;
        }
        if (!closed) {
          out.add(new Token(Kind.INVALID, "", line, j - lineStart + 1));
          return out;
        }
        out.add(new Token(Kind.BLOCK_STRING, blockString(raw.toString()), startLine, col + 3));
        i = j + 3;
        continue;
      }
      if (c == '"') {
        int j = i + 1;
        StringBuilder sb = new StringBuilder();
        boolean closed = false;
        while (j < n) {
          char d = src.charAt(j);
          if (d == '"') {
            closed = true;
            break;
          }
          if (d == '\n' || d == '\r') break;
          if (d == '\\' && j + 1 < n) {
            char e = src.charAt(j + 1);
            switch (e) {
              case 'n' -> sb.append('\n');
              case 't' -> sb.append('\t');
              case 'r' -> sb.append('\r');
              case 'b' -> sb.append('\b');
              case 'f' -> sb.append('\f');
              case 'u' -> {
                if (j + 5 < n) {
                  sb.append((char) Integer.parseInt(src.substring(j + 2, j + 6), 16));
                  j += 4;
                }
              }
              default -> sb.append(e);
            }
            j += 2;
            continue;
          }
          sb.append(d);
          j++;
        }
        if (!closed) {
          out.add(new Token(Kind.INVALID, "", line, j - lineStart + 1));
          return out;
        }
        // gqlparser positions a string token at its first character after the quote
        out.add(new Token(Kind.STRING, sb.toString(), line, col + 1));
        i = j + 1;
        continue;
      }
      out.add(new Token(Kind.INVALID, String.valueOf(c), line, col));
      return out;
    }
  }

  /** The spec's BlockStringValue: common indentation removed, blank first/last lines dropped. */
  private static String blockString(String raw) {
    String[] lines = raw.split("\n", -1);
    int common = Integer.MAX_VALUE;
    for (int k = 1; k < lines.length; k++) {
      String l = lines[k];
      int indent = 0;
      while (indent < l.length() && (l.charAt(indent) == ' ' || l.charAt(indent) == '\t')) indent++;
      if (indent < l.length() && indent < common) common = indent;
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < lines.length; k++) {
      String l = lines[k];
      if (k > 0 && common != Integer.MAX_VALUE) l = l.length() >= common ? l.substring(common) : "";
      out.add(l);
    }
    while (!out.isEmpty() && out.get(0).isBlank()) out.remove(0);
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) out.remove(out.size() - 1);
    return String.join("\n", out);
  }

  // ---------------------------------------------------------------- parser

  private static final class Parser {
    final List<Token> tokens;
    int pos;

    Parser(String src) { this.tokens = lex(src); }

    Token peek() { return tokens.get(pos); }

    Token next() { return tokens.get(pos < tokens.size() - 1 ? pos++ : pos); }

    boolean peekPunct(String p) { return peek().kind() == Kind.PUNCT && peek().value().equals(p); }

    boolean peekName(String name) { return peek().kind() == Kind.NAME && peek().value().equals(name); }

    boolean skipPunct(String p) {
      if (peekPunct(p)) {
        next();
        return true;
      }
      return false;
    }

    SyntaxError unexpected(Token t) { return new SyntaxError("Unexpected " + t.describe(), t.line(), t.column()); }

    Token expectPunct(String p) throws SyntaxError {
      Token t = peek();
      if (t.kind() == Kind.INVALID) throw unexpected(t);
      if (t.kind() == Kind.PUNCT && t.value().equals(p)) return next();
      throw new SyntaxError("Expected " + p + ", found " + t.shortText(), t.line(), t.column());
    }

    String expectName() throws SyntaxError {
      Token t = peek();
      if (t.kind() == Kind.INVALID) throw unexpected(t);
      if (t.kind() == Kind.NAME) return next().value();
      throw new SyntaxError("Expected Name, found " + t.shortText(), t.line(), t.column());
    }

    void expectKeyword(String word) throws SyntaxError {
      Token t = peek();
      if (t.kind() == Kind.NAME && t.value().equals(word)) {
        next();
        return;
      }
      throw new SyntaxError("Expected \"" + word + "\", found " + t.shortText(), t.line(), t.column());
    }

    /** gqlparser's "many": at least one item between the delimiters. */
    interface Item {
      void parse() throws SyntaxError;
    }

    void many(String open, String close, Item item) throws SyntaxError {
      expectPunct(open);
      if (peekPunct(close)) {
        Token t = peek();
        throw new SyntaxError("expected at least one definition, found " + t.shortText(), t.line(), t.column());
      }
      while (!skipPunct(close)) {
        if (peek().kind() == Kind.EOF || peek().kind() == Kind.INVALID) throw unexpected(peek());
        item.parse();
      }
    }

    void some(String open, String close, Item item) throws SyntaxError {
      if (!skipPunct(open)) return;
      while (!skipPunct(close)) {
        if (peek().kind() == Kind.EOF || peek().kind() == Kind.INVALID) throw unexpected(peek());
        item.parse();
      }
    }

    String description() {
      Token t = peek();
      if (t.kind() == Kind.STRING || t.kind() == Kind.BLOCK_STRING) {
        next();
        return t.value();
      }
      return "";
    }

    // ---- types and values

    Value type() throws SyntaxError {
      ObjectValue.Builder b = ObjectValue.builder();
      if (skipPunct("[")) {
        Value elem = type();
        expectPunct("]");
        b.put("NamedType", str("")).put("Elem", elem);
      } else {
        b.put("NamedType", str(expectName()));
      }
      b.put("NonNull", BooleanValue.of(skipPunct("!")));
      return b.build();
    }

    Value value(boolean isConst) throws SyntaxError {
      Token t = peek();
      ObjectValue.Builder b = ObjectValue.builder().put("ExpectedTypeHasDefault", BooleanValue.FALSE);
      switch (t.kind()) {
        case PUNCT -> {
          if (t.value().equals("[")) {
            next();
            List<Value> children = new ArrayList<>();
            while (!skipPunct("]")) {
              if (peek().kind() == Kind.EOF) throw unexpected(peek());
              children.add(ObjectValue.builder().put("Name", str("")).put("Value", value(isConst)).build());
            }
            b.put("Kind", NumberValue.of(8)).put("Raw", str(""));
            if (!children.isEmpty()) b.put("Children", new ArrayValue(children));
            return b.build();
          }
          if (t.value().equals("{")) {
            next();
            List<Value> children = new ArrayList<>();
            while (!skipPunct("}")) {
              if (peek().kind() == Kind.EOF) throw unexpected(peek());
              String name = expectName();
              expectPunct(":");
              children.add(ObjectValue.builder().put("Name", str(name)).put("Value", value(isConst)).build());
            }
            b.put("Kind", NumberValue.of(9)).put("Raw", str(""));
            if (!children.isEmpty()) b.put("Children", new ArrayValue(children));
            return b.build();
          }
          if (t.value().equals("$") && !isConst) {
            next();
            return b.put("Kind", NumberValue.of(0)).put("Raw", str(expectName())).build();
          }
          throw unexpected(t);
        }
        case INT -> {
          next();
          return b.put("Kind", NumberValue.of(1)).put("Raw", str(t.value())).build();
        }
        case FLOAT -> {
          next();
          return b.put("Kind", NumberValue.of(2)).put("Raw", str(t.value())).build();
        }
        case STRING -> {
          next();
          return b.put("Kind", NumberValue.of(3)).put("Raw", str(t.value())).build();
        }
        case BLOCK_STRING -> {
          next();
          return b.put("Kind", NumberValue.of(4)).put("Raw", str(t.value())).build();
        }
        case NAME -> {
          next();
          int kind = t.value().equals("true") || t.value().equals("false") ? 5 : t.value().equals("null") ? 6 : 7;
          return b.put("Kind", NumberValue.of(kind)).put("Raw", str(t.value())).build();
        }
        default -> throw unexpected(t);
      }
    }

    List<Value> arguments(boolean isConst) throws SyntaxError {
      List<Value> out = new ArrayList<>();
      some("(", ")", () -> {
        String name = expectName();
        expectPunct(":");
        out.add(ObjectValue.builder().put("Name", str(name)).put("Value", value(isConst)).build());
      });
      return out;
    }

    List<Value> directives(boolean isConst) throws SyntaxError {
      List<Value> out = new ArrayList<>();
      while (skipPunct("@")) {
        ObjectValue.Builder d = ObjectValue.builder().put("Name", str(expectName())).put("Location", str(""));
        put(d, "Arguments", arguments(isConst));
        out.add(d.build());
      }
      return out;
    }

    // ---- schema documents

    Value schemaDocument() throws SyntaxError {
      List<Value> schema = new ArrayList<>();
      List<Value> schemaExt = new ArrayList<>();
      List<Value> directives = new ArrayList<>();
      List<Value> definitions = new ArrayList<>();
      List<Value> extensions = new ArrayList<>();
      while (peek().kind() != Kind.EOF) {
        if (peek().kind() == Kind.INVALID) throw unexpected(peek());
        String desc = description();
        Token t = peek();
        if (t.kind() != Kind.NAME) throw unexpected(t);
        switch (t.value()) {
          case "schema" -> {
            next();
            schema.add(schemaDefinition(desc));
          }
          case "directive" -> {
            next();
            directives.add(directiveDefinition(desc));
          }
          case "extend" -> {
            if (!desc.isEmpty()) throw unexpected(tokens.get(pos - 1));
            next();
            Token k = peek();
            if (k.kind() == Kind.NAME && k.value().equals("schema")) {
              next();
              schemaExt.add(schemaExtension());
            } else if (k.kind() == Kind.NAME) {
              extensions.add(typeDefinition("", true));
            } else {
              throw unexpected(k);
            }
          }
          default -> definitions.add(typeDefinition(desc, false));
        }
      }
      ObjectValue.Builder b = ObjectValue.builder();
      put(b, "Schema", schema);
      put(b, "SchemaExtension", schemaExt);
      put(b, "Directives", directives);
      put(b, "Definitions", definitions);
      put(b, "Extensions", extensions);
      return b.build();
    }

    Value schemaDefinition(String desc) throws SyntaxError {
      ObjectValue.Builder b = ObjectValue.builder().put("Description", str(desc));
      put(b, "Directives", directives(true));
      List<Value> ops = new ArrayList<>();
      many("{", "}", () -> ops.add(operationType()));
      put(b, "OperationTypes", ops);
      return b.build();
    }

    Value schemaExtension() throws SyntaxError {
      ObjectValue.Builder b = ObjectValue.builder().put("Description", str(""));
      List<Value> dirs = directives(true);
      put(b, "Directives", dirs);
      List<Value> ops = new ArrayList<>();
      if (peekPunct("{")) many("{", "}", () -> ops.add(operationType()));
      if (dirs.isEmpty() && ops.isEmpty()) throw unexpected(peek());
      put(b, "OperationTypes", ops);
      return b.build();
    }

    Value operationType() throws SyntaxError {
      Token t = peek();
      String op = expectName();
      if (!op.equals("query") && !op.equals("mutation") && !op.equals("subscription")) throw new SyntaxError("Unexpected Name \"" + op + "\"", t.line(), t.column());
      expectPunct(":");
      return ObjectValue.builder().put("Operation", str(op)).put("Type", str(expectName())).build();
    }

    private static final List<String> LOCATIONS = List.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION");

    Value directiveDefinition(String desc) throws SyntaxError {
      expectPunct("@");
      String name = expectName();
      ObjectValue.Builder b = ObjectValue.builder().put("Description", str(desc)).put("Name", str(name));
      put(b, "Arguments", argumentDefinitions());
      boolean repeatable = false;
      if (peekName("repeatable")) {
        next();
        repeatable = true;
      }
      b.put("IsRepeatable", BooleanValue.of(repeatable));
      expectKeyword("on");
      skipPunct("|");
      List<Value> locations = new ArrayList<>();
      do {
        Token t = peek();
        String loc = expectName();
        if (!LOCATIONS.contains(loc)) throw new SyntaxError("Unexpected Name \"" + loc + "\"", t.line(), t.column());
        locations.add(str(loc));
      } while (skipPunct("|"));
      put(b, "Locations", locations);
      return b.build();
    }

    List<Value> argumentDefinitions() throws SyntaxError {
      List<Value> out = new ArrayList<>();
      if (!peekPunct("(")) return out;
      many("(", ")", () -> out.add(inputValueDefinition()));
      return out;
    }

    Value inputValueDefinition() throws SyntaxError {
      String desc = description();
      String name = expectName();
      expectPunct(":");
      ObjectValue.Builder b = ObjectValue.builder().put("Description", str(desc)).put("Name", str(name)).put("Type", type());
      if (skipPunct("=")) b.put("DefaultValue", value(true));
      put(b, "Directives", directives(true));
      return b.build();
    }

    Value typeDefinition(String desc, boolean extension) throws SyntaxError {
      Token kw = peek();
      String word = expectName();
      String kind = switch (word) {
        case "scalar" -> "SCALAR";
        case "type" -> "OBJECT";
        case "interface" -> "INTERFACE";
        case "union" -> "UNION";
        case "enum" -> "ENUM";
        case "input" -> "INPUT_OBJECT";
        default -> null;
      };
      if (kind == null) throw new SyntaxError("Unexpected Name \"" + word + "\"", kw.line(), kw.column());
      String name = expectName();
      ObjectValue.Builder b = ObjectValue.builder().put("Kind", str(kind)).put("Description", str(desc)).put("Name", str(name))
          .put("BuiltIn", BooleanValue.FALSE);
      boolean any = false;
      if (kind.equals("OBJECT") || kind.equals("INTERFACE")) {
        if (peekName("implements")) {
          next();
          skipPunct("&");
          List<Value> ifaces = new ArrayList<>();
          do {
            ifaces.add(str(expectName()));
          } while (skipPunct("&"));
          put(b, "Interfaces", ifaces);
          any = true;
        }
      }
      List<Value> dirs = directives(true);
      put(b, "Directives", dirs);
      any |= !dirs.isEmpty();
      switch (kind) {
        case "OBJECT", "INTERFACE" -> {
          if (peekPunct("{")) {
            List<Value> fields = new ArrayList<>();
            many("{", "}", () -> fields.add(fieldDefinition()));
            put(b, "Fields", fields);
            any = true;
          }
        }
        case "INPUT_OBJECT" -> {
          if (peekPunct("{")) {
            List<Value> fields = new ArrayList<>();
            many("{", "}", () -> fields.add(inputValueDefinition()));
            put(b, "Fields", fields);
            any = true;
          }
        }
        case "UNION" -> {
          if (skipPunct("=")) {
            skipPunct("|");
            List<Value> types = new ArrayList<>();
            do {
              types.add(str(expectName()));
            } while (skipPunct("|"));
            put(b, "Types", types);
            any = true;
          }
        }
        case "ENUM" -> {
          if (peekPunct("{")) {
            List<Value> values = new ArrayList<>();
            many("{", "}", () -> {
              String d = description();
              String v = expectName();
              ObjectValue.Builder e = ObjectValue.builder().put("Description", str(d)).put("Name", str(v));
              put(e, "Directives", directives(true));
              values.add(e.build());
            });
            put(b, "EnumValues", values);
            any = true;
          }
        }
        default -> { }
      }
      if (extension && !any) throw unexpected(peek());
      return b.build();
    }

    Value fieldDefinition() throws SyntaxError {
      String desc = description();
      String name = expectName();
      ObjectValue.Builder b = ObjectValue.builder().put("Description", str(desc)).put("Name", str(name));
      put(b, "Arguments", argumentDefinitions());
      expectPunct(":");
      b.put("Type", type());
      put(b, "Directives", directives(true));
      return b.build();
    }

    // ---- executable documents

    Value queryDocument() throws SyntaxError {
      List<Value> operations = new ArrayList<>();
      List<Value> fragments = new ArrayList<>();
      while (peek().kind() != Kind.EOF) {
        Token t = peek();
        if (t.kind() == Kind.INVALID) throw unexpected(t);
        if (t.kind() == Kind.PUNCT && t.value().equals("{")) {
          ObjectValue.Builder op = ObjectValue.builder().put("Operation", str("query")).put("Name", str(""));
          put(op, "SelectionSet", selectionSet());
          operations.add(op.build());
          continue;
        }
        if (t.kind() != Kind.NAME) throw unexpected(t);
        switch (t.value()) {
          case "query", "mutation", "subscription" -> operations.add(operation());
          case "fragment" -> fragments.add(fragment());
          default -> throw unexpected(t);
        }
      }
      ObjectValue.Builder b = ObjectValue.builder();
      put(b, "Operations", operations);
      put(b, "Fragments", fragments);
      return b.build();
    }

    Value operation() throws SyntaxError {
      String op = next().value();
      ObjectValue.Builder b = ObjectValue.builder().put("Operation", str(op));
      b.put("Name", str(peek().kind() == Kind.NAME ? next().value() : ""));
      List<Value> vars = new ArrayList<>();
      some("(", ")", () -> {
        expectPunct("$");
        String name = expectName();
        expectPunct(":");
        ObjectValue.Builder v = ObjectValue.builder().put("Variable", str(name)).put("Type", type()).put("Used", BooleanValue.FALSE);
        if (skipPunct("=")) v.put("DefaultValue", value(true));
        put(v, "Directives", directives(true));
        vars.add(v.build());
      });
      put(b, "VariableDefinitions", vars);
      put(b, "Directives", directives(false));
      List<Value> sel = selectionSet();
      put(b, "SelectionSet", sel);
      return b.build();
    }

    Value fragment() throws SyntaxError {
      next();
      String name = expectName();
      expectKeyword("on");
      ObjectValue.Builder b = ObjectValue.builder().put("Name", str(name)).put("TypeCondition", str(expectName()));
      put(b, "Directives", directives(false));
      put(b, "SelectionSet", selectionSet());
      return b.build();
    }

    List<Value> selectionSet() throws SyntaxError {
      List<Value> out = new ArrayList<>();
      many("{", "}", () -> out.add(selection()));
      return out;
    }

    Value selection() throws SyntaxError {
      Token start = peek();
      if (skipPunct("...")) {
        if (peekName("on")) {
          next();
          ObjectValue.Builder b = ObjectValue.builder().put("TypeCondition", str(expectName()));
          put(b, "Directives", directives(false));
          put(b, "SelectionSet", selectionSet());
          return b.build();
        }
        if (peek().kind() == Kind.NAME) {
          ObjectValue.Builder b = ObjectValue.builder().put("Name", str(expectName()));
          put(b, "Directives", directives(false));
          return b.build();
        }
        ObjectValue.Builder b = ObjectValue.builder().put("TypeCondition", str(""));
        put(b, "Directives", directives(false));
        put(b, "SelectionSet", selectionSet());
        return b.build();
      }
      String alias = expectName();
      String name = alias;
      if (skipPunct(":")) name = expectName();
      ObjectValue.Builder b = ObjectValue.builder().put("Alias", str(alias)).put("Name", str(name))
          .put("$line", NumberValue.of(start.line())).put("$col", NumberValue.of(start.column()));
      put(b, "Arguments", arguments(false));
      put(b, "Directives", directives(false));
      if (peekPunct("{")) put(b, "SelectionSet", selectionSet());
      return b.build();
    }
  }

  private static StringValue str(String s) { return new StringValue(s); }

  private static void put(ObjectValue.Builder b, String key, List<Value> items) {
    if (!items.isEmpty()) b.put(key, new ArrayValue(items));
  }

  static Value parseSchema(String src) throws SyntaxError { return new Parser(src).schemaDocument(); }

  /** The query AST including internal field positions ($line/$col) used by validation. */
  static Value parseQueryWithPositions(String src) throws SyntaxError { return new Parser(src).queryDocument(); }

  /** Removes the internal position keys. */
  static Value strip(Value v) {
    if (v instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (Value e : a.elements()) out.add(strip(e));
      return new ArrayValue(out);
    }
    if (v instanceof ObjectValue o) {
      ObjectValue.Builder b = ObjectValue.builder();
      for (java.util.Map.Entry<Value, Value> e : o.entries().entrySet()) {
        if (e.getKey() instanceof StringValue k && k.value().startsWith("$")) continue;
        b.put(e.getKey(), strip(e.getValue()));
      }
      return b.build();
    }
    return v;
  }
}
