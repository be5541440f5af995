package io.portcullis.policy.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Conversion between Rego values and JSON (Jackson trees and text). */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Json() {}

  /**
   * Converts a JSON tree to a value; numbers keep their exact value (integers that fit take the long path).
   *
   * @throws IllegalArgumentException for a node that is no JSON value, a non-finite double, or a number out of
   *     {@link NumberValue}'s range
   */
  public static Value fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return NullValue.NULL;
    switch (node.getNodeType()) {
      case OBJECT: {
        TreeMap<Value, Value> map = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> e = fields.next();
          map.put(new StringValue(e.getKey()), fromJson(e.getValue()));
        }
        return ObjectValue.of(map);
      }
      case ARRAY: {
        List<Value> items = new ArrayList<>(node.size());
        for (JsonNode child : node) items.add(fromJson(child));
        return new ArrayValue(items);
      }
      case STRING:
        return new StringValue(node.textValue());
      case BOOLEAN:
        return BooleanValue.of(node.booleanValue());
      case NUMBER:
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
          // a mapper reading floats as doubles turns 1e400 into Infinity, which is no JSON number
          throw new IllegalArgumentException("number out of range: " + node.asText() + " (read JSON numbers as BigDecimal)");
        }
        try {
          if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? NumberValue.of(node.longValue()) : NumberValue.of(node.bigIntegerValue());
          }
          return NumberValue.of(node.decimalValue());
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      default:
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  /**
   * Converts a value to JSON as OPA does: sets become arrays in sorted order; object keys that are
   * not strings become their JSON text ({@code 1} becomes {@code "1"}, {@code [1]} becomes {@code "[1]"}).
   */
  public static JsonNode toJson(Value value) {
    if (value instanceof NullValue) return NODES.nullNode();
    if (value instanceof BooleanValue b) return NODES.booleanNode(b.value());
    if (value instanceof NumberValue n) {
      if (n.isInteger()) {
        java.math.BigInteger i = n.bigDecimal().toBigIntegerExact();
        if (i.bitLength() < 32) return NODES.numberNode(i.intValue());
        if (i.bitLength() < 64) return NODES.numberNode(i.longValue());
        return NODES.numberNode(i);
      }
      return NODES.numberNode(n.bigDecimal());
    }
    if (value instanceof StringValue s) return NODES.textNode(s.value());
    if (value instanceof ArrayValue a) {
      ArrayNode out = NODES.arrayNode();
      for (Value v : a.elements()) out.add(toJson(v));
      return out;
    }
    if (value instanceof SetValue s) {
      ArrayNode out = NODES.arrayNode();
      for (Value v : s.members()) out.add(toJson(v));
      return out;
    }
    ObjectValue o = (ObjectValue) value;
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
      String key = e.getKey() instanceof StringValue s ? s.value() : toJson(e.getKey()).toString();
      out.set(key, toJson(e.getValue()));
    }
    return out;
  }

  /** Rego text of a value: JSON for JSON values, {@code {1, 2}} for sets, {@code set()} for the empty set. */
  public static String render(Value value) {
    StringBuilder sb = new StringBuilder();
    render(value, sb);
    return sb.toString();
  }

  private static void render(Value value, StringBuilder sb) {
    if (value instanceof StringValue s) {
      sb.append(quote(s.value()));
    } else if (value instanceof ArrayValue a) {
      sb.append('[');
      joinTo(a.elements(), sb);
      sb.append(']');
    } else if (value instanceof SetValue s) {
      if (s.size() == 0) {
        sb.append("set()");
      } else {
        sb.append('{');
        joinTo(new ArrayList<>(s.members()), sb);
        sb.append('}');
      }
    } else if (value instanceof ObjectValue o) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        render(e.getKey(), sb);
        sb.append(": ");
        render(e.getValue(), sb);
      }
      sb.append('}');
    } else {
      sb.append(value);
    }
  }

  private static void joinTo(List<Value> values, StringBuilder sb) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) sb.append(", ");
      render(values.get(i), sb);
    }
  }

  /** A JSON string literal for s, escaping quotes, backslashes and control characters. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}
