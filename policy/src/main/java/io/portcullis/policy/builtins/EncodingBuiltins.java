package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** base64, base64url, hex, urlquery, json and yaml encodings. */
final class EncodingBuiltins {
  private EncodingBuiltins() {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .build();

  static void register(BuiltinRegistry.Builder b) {
    b.add("base64.encode", 1, (ctx, a) -> str(Base64.getEncoder().encodeToString(bytes(string("base64.encode", a, 0)))));
    b.add("base64.decode", 1, (ctx, a) -> str(goString(base64("base64.decode", string("base64.decode", a, 0), false, true))));
    b.add("base64.is_valid", 1, (ctx, a) -> {
      try {
        base64("base64.is_valid", string("base64.is_valid", a, 0), false, true);
        return BooleanValue.TRUE;
      } catch (BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
    b.add("base64url.encode", 1, (ctx, a) -> str(Base64.getUrlEncoder().encodeToString(bytes(string("base64url.encode", a, 0)))));
    b.add("base64url.encode_no_pad", 1,
        (ctx, a) -> str(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(string("base64url.encode_no_pad", a, 0)))));
    b.add("base64url.decode", 1, (ctx, a) -> {
      String s = string("base64url.decode", a, 0);
      if (!s.endsWith("=")) {
        switch (s.length() % 4) {
          case 2 -> s += "==";
          case 3 -> s += "=";
          case 1 -> throw BuiltinException.failure("base64url.decode", "illegal base64url string: " + s);
          default -> { }
        }
      }
      return str(goString(base64("base64url.decode", s, true, true)));
    });
    b.add("hex.encode", 1, (ctx, a) -> {
      StringBuilder sb = new StringBuilder();
      for (byte x : bytes(string("hex.encode", a, 0))) sb.append(String.format("%02x", x & 0xff));
      return str(sb.toString());
    });
    b.add("hex.decode", 1, (ctx, a) -> str(goString(hexDecode(string("hex.decode", a, 0)))));
    b.add("urlquery.encode", 1, (ctx, a) -> str(queryEscape(string("urlquery.encode", a, 0))));
    b.add("urlquery.decode", 1, (ctx, a) -> str(queryUnescape("urlquery.decode", string("urlquery.decode", a, 0))));
    b.add("urlquery.encode_object", 1, EncodingBuiltins::encodeObject);
    b.add("urlquery.decode_object", 1, (ctx, a) -> {
      String s = string("urlquery.decode_object", a, 0);
      TreeMap<String, List<Value>> out = new TreeMap<>();
      for (String part : s.split("&", -1)) {
        if (part.isEmpty()) continue;
        if (part.contains(";")) throw BuiltinException.failure("urlquery.decode_object", "invalid semicolon separator in query");
        int eq = part.indexOf('=');
        String k = queryUnescape("urlquery.decode_object", eq < 0 ? part : part.substring(0, eq));
        String v = eq < 0 ? "" : queryUnescape("urlquery.decode_object", part.substring(eq + 1));
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(str(v));
      }
      ObjectValue.Builder ob = ObjectValue.builder();
      for (Map.Entry<String, List<Value>> e : out.entrySet()) ob.put(e.getKey(), new ArrayValue(e.getValue()));
      return ob.build();
    });
    b.add("json.marshal", 1, (ctx, a) -> str(marshal(a.get(0), "", null)));
    b.add("json.marshal_with_options", 2, EncodingBuiltins::marshalWithOptions);
    b.add("json.unmarshal", 1, (ctx, a) -> {
      String s = string("json.unmarshal", a, 0);
      try {
        return Json.fromJson(JSON.readTree(s));
      } catch (JsonProcessingException e) {
        throw BuiltinException.failure("json.unmarshal", e.getOriginalMessage());
      }
    });
    b.add("json.is_valid", 1, (ctx, a) -> {
      if (!(a.get(0) instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        JsonNode n = JSON.readTree(s.value());
        return BooleanValue.of(n != null && !n.isMissingNode());
      } catch (JsonProcessingException e) {
        return BooleanValue.FALSE;
      }
    });
    b.add("json.verify_schema", 1, (ctx, a) -> {
      try {
        JsonSchema.check(schemaOperand("json.verify_schema", a, 0));
        return ArrayValue.of(BooleanValue.TRUE, NullValue.NULL);
      } catch (JsonSchema.InvalidSchema e) {
        return ArrayValue.of(BooleanValue.FALSE, str(e.getMessage()));
      }
    });
    b.add("json.match_schema", 2, (ctx, a) -> {
      Value doc = schemaOperand("json.match_schema", a, 0);
      Value schema = schemaOperand("json.match_schema", a, 1);
      try {
        JsonSchema.check(schema);
      } catch (JsonSchema.InvalidSchema e) {
        throw BuiltinException.failure("json.match_schema", e.getMessage());
      }
      List<Value> errors = JsonSchema.validate(doc, schema);
      return ArrayValue.of(BooleanValue.of(errors.isEmpty()), new ArrayValue(errors));
    });
    b.add("yaml.marshal", 1, (ctx, a) -> {
      try {
        return str(YAML.writeValueAsString(Json.toJson(a.get(0))));
      } catch (JsonProcessingException e) {
        throw BuiltinException.failure("yaml.marshal", e.getOriginalMessage());
      }
    });
    b.add("yaml.unmarshal", 1, (ctx, a) -> yamlParse("yaml.unmarshal", string("yaml.unmarshal", a, 0)));
    b.add("yaml.is_valid", 1, (ctx, a) -> {
      if (!(a.get(0) instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        yamlParse("yaml.is_valid", s.value());
        return BooleanValue.TRUE;
      } catch (BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
  }

  /** A schema or document operand: a JSON string or any value. */
  private static Value schemaOperand(String fn, List<Value> a, int i) throws BuiltinException {
    Value v = a.get(i);
    if (!(v instanceof StringValue s)) {
      if (v instanceof ObjectValue || v instanceof ArrayValue || v instanceof BooleanValue || v instanceof SetValue) return v;
      throw Operands.typeError(fn, i, v, "string", "object");
    }
    try {
      return Json.fromJson(JSON.readTree(s.value()));
    } catch (JsonProcessingException e) {
      throw BuiltinException.failure(fn, "operand " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  /** Decodes bytes as Go does when it turns them into a string and iterates runes: one U+FFFD per invalid byte. */
  static String goString(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int need;
      int cp;
      int min;
      if (c < 0x80) {
        sb.append((char) c);
        i++;
        continue;
      } else if (c >= 0xc2 && c <= 0xdf) {
        need = 1; cp = c & 0x1f; min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2; cp = c & 0x0f; min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3; cp = c & 0x07; min = 0x10000;
      } else {
        sb.append('\uFFFD');
        i++;
        continue;
      }
      boolean ok = true;
      {
        for (int k = 1; k <= need; k++) {
          if (i + k >= b.length || (b[i + k] & 0xc0) != 0x80) {
            ok = false;
            break;
          }
          cp = (cp << 6) | (b[i + k] & 0x3f);
        }
      }
      if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        sb.append('\uFFFD');
        i++;
        continue;
      }
      sb.appendCodePoint(cp);
      i += need + 1;
    }
    return sb.toString();
  }

  /** Go's StdEncoding / URLEncoding (padded) or the Raw variants: strict, newlines ignored. */
  static byte[] base64(String fn, String s, boolean url, boolean padded) throws BuiltinException {
    String clean = s.replace("\r", "").replace("\n", "");
    String alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int dataLen = clean.length();
    if (padded) {
      if (clean.length() % 4 != 0) throw BuiltinException.failure(fn, "illegal base64 data at input byte " + (clean.length() / 4 * 4));
      while (dataLen > 0 && clean.charAt(dataLen - 1) == '=' && clean.length() - dataLen < 2) dataLen--;
    }
    for (int i = 0; i < dataLen; i++) {
      if (alphabet.indexOf(clean.charAt(i)) < 0) throw BuiltinException.failure(fn, "illegal base64 data at input byte " + i);
    }
    if (dataLen % 4 == 1) throw BuiltinException.failure(fn, "illegal base64 data at input byte " + dataLen);
    try {
      String body = clean.substring(0, dataLen);
      return url ? Base64.getUrlDecoder().decode(body) : Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw BuiltinException.failure(fn, "illegal base64 data at input byte " + dataLen);
    }
  }

  private static byte[] hexDecode(String s) throws BuiltinException {
    byte[] in = bytes(s);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 1;
    for (; i < in.length; i += 2) {
      int hi = Character.digit(in[i - 1], 16);
      int lo = Character.digit(in[i], 16);
      if (hi < 0 || in[i - 1] < 0) throw invalidByte(in[i - 1]);
      if (lo < 0 || in[i] < 0) throw invalidByte(in[i]);
      out.write(hi * 16 + lo);
    }
    if (in.length % 2 == 1) {
      if (Character.digit(in[i - 1], 16) < 0) throw invalidByte(in[i - 1]);
      throw BuiltinException.failure("hex.decode", "encoding/hex: odd length hex string");
    }
    return out.toByteArray();
  }

  private static BuiltinException invalidByte(byte b) {
    int c = b & 0xff;
    String shown = c >= 0x20 && c < 0x7f ? " '" + (char) c + "'" : "";
    return BuiltinException.failure("hex.decode", String.format("encoding/hex: invalid byte: U+%04X%s", c, shown));
  }

  /** Go's url.QueryEscape. */
  static String queryEscape(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes(s)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  /** Go's url.QueryUnescape. */
  static String queryUnescape(String fn, String s) throws BuiltinException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] in = bytes(s);
    for (int i = 0; i < in.length; i++) {
      int c = in[i] & 0xff;
      if (c == '%') {
        if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
          String bad = s.substring(Math.min(s.length(), new String(in, 0, i, StandardCharsets.UTF_8).length()));
          throw BuiltinException.failure(fn, "invalid URL escape " + GoFormat.quote(bad.length() > 3 ? bad.substring(0, 3) : bad, false));
        }
        out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        out.write(c);
      }
    }
    return goString(out.toByteArray());
  }

  private static Value encodeObject(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    String fn = "urlquery.encode_object";
    ObjectValue obj = Operands.object(fn, a, 0);
    TreeMap<String, List<String>> values = new TreeMap<>();
    for (Map.Entry<Value, Value> e : obj.entries().entrySet()) {
      if (!(e.getKey() instanceof StringValue k)) throw Operands.operandError(fn, 0, "values must be string, array[string], or set[string]");
      List<String> list = values.computeIfAbsent(k.value(), x -> new ArrayList<>());
      Value v = e.getValue();
      if (v instanceof StringValue s) {
        list.add(s.value());
      } else if (v instanceof ArrayValue || v instanceof SetValue) {
        List<Value> items = v instanceof ArrayValue arr ? arr.elements() : new ArrayList<>(((SetValue) v).members());
        for (Value item : items) {
          if (!(item instanceof StringValue s)) throw Operands.operandError(fn, 0, "values must be string, array[string], or set[string]");
          list.add(s.value());
        }
      } else {
        throw Operands.operandError(fn, 0, "values must be string, array[string], or set[string]");
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      for (String v : e.getValue()) {
        if (sb.length() > 0) sb.append('&');
        sb.append(queryEscape(e.getKey())).append('=').append(queryEscape(v));
      }
    }
    return str(sb.toString());
  }

  private static Value marshalWithOptions(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    String fn = "json.marshal_with_options";
    ObjectValue opts = Operands.object(fn, a, 1);
    boolean implicitPretty = false;
    Boolean explicitPretty = null;
    String prefix = "";
    String indent = "\t";
    for (Map.Entry<Value, Value> e : opts.entries().entrySet()) {
      if (!(e.getKey() instanceof StringValue k)) {
        throw Operands.operandError(fn, 1, "failed to stringify key " + Json.render(e.getKey()));
      }
      Value v = e.getValue();
      switch (k.value()) {
        case "pretty" -> {
          if (!(v instanceof BooleanValue bv)) throw Operands.operandError(fn, 1, "key pretty failed cast to bool");
          explicitPretty = bv.value();
        }
        case "indent" -> {
          if (!(v instanceof StringValue sv)) throw Operands.operandError(fn, 1, "key indent failed cast to string");
          indent = sv.value();
          implicitPretty = true;
        }
        case "prefix" -> {
          if (!(v instanceof StringValue sv)) throw Operands.operandError(fn, 1, "key prefix failed cast to string");
          prefix = sv.value();
          implicitPretty = true;
        }
        default -> throw Operands.operandError(fn, 1, "object contained unknown key " + k.value());
      }
    }
    boolean pretty = explicitPretty != null ? explicitPretty : implicitPretty;
    // json.MarshalIndent does not prefix the first line; OPA adds the prefix there too.
    return str(pretty ? prefix + marshal(a.get(0), prefix, indent) : marshal(a.get(0), "", null));
  }

  /** Go's json.Marshal (indent null) or json.MarshalIndent of a value: keys sorted, HTML characters escaped. */
  static String marshal(Value v, String prefix, String indent) {
    StringBuilder sb = new StringBuilder();
    marshal(v, prefix, indent, 0, sb);
    return sb.toString();
  }

  private static void marshal(Value v, String prefix, String indent, int depth, StringBuilder sb) {
    if (v instanceof StringValue s) {
      goJsonString(s.value(), sb);
    } else if (v instanceof ArrayValue || v instanceof SetValue) {
      List<Value> items = v instanceof ArrayValue arr ? arr.elements() : new ArrayList<>(((SetValue) v).members());
      if (items.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) sb.append(',');
        newline(prefix, indent, depth + 1, sb);
        marshal(items.get(i), prefix, indent, depth + 1, sb);
      }
      newline(prefix, indent, depth, sb);
      sb.append(']');
    } else if (v instanceof ObjectValue o) {
      if (o.size() == 0) {
        sb.append("{}");
        return;
      }
      TreeMap<String, Value> sorted = new TreeMap<>();
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        sorted.put(e.getKey() instanceof StringValue s ? s.value() : Json.render(e.getKey()), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Value> e : sorted.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        newline(prefix, indent, depth + 1, sb);
        goJsonString(e.getKey(), sb);
        sb.append(indent == null ? ":" : ": ");
        marshal(e.getValue(), prefix, indent, depth + 1, sb);
      }
      newline(prefix, indent, depth, sb);
      sb.append('}');
    } else if (v instanceof NumberValue) {
      sb.append(v.toString().replace('E', 'e'));
    } else {
      sb.append(v.toString());
    }
  }

  private static void newline(String prefix, String indent, int depth, StringBuilder sb) {
    if (indent == null) return;
    sb.append('\n').append(prefix);
    for (int i = 0; i < depth; i++) sb.append(indent);
  }

  /** A JSON string literal as Go's encoding/json writes it. */
  static void goJsonString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  private static Value yamlParse(String fn, String s) throws BuiltinException {
    try {
      JsonNode n = YAML.readTree(s);
      return n == null || n.isMissingNode() ? NullValue.NULL : Json.fromJson(n);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage();
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      if (msg.contains("expected ',' or ']'")) msg = "did not find expected ',' or ']'";
      else if (msg.contains("expected ',' or '}'")) msg = "did not find expected ',' or '}'";
      else msg = msg.replace('\n', ' ');
      throw BuiltinException.failure(fn, "yaml: line " + line + ": " + msg);
    } catch (RuntimeException e) {
      throw BuiltinException.failure(fn, "yaml: " + e.getMessage());
    }
  }
}
