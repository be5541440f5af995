package io.portcullis.policy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NumberValue;
import java.math.BigInteger;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.Map;

/**
 * Results as OPA serialises them: sets become arrays in sorted order, and an object key that is not a
 * string becomes its compact JSON text ({@code 1} becomes {@code "1"}, {@code {"a": 1}} becomes
 * {@code "{\"a\":1}"}).
 */
public final class Results {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Results() {}

  /**
   * Converts JSON to a value, exactly as {@link Json#fromJson} does (numbers keep their exact value),
   * with one type dispatch per node; used on every decision's input.
   */
  public static Value fromJson(JsonNode node) {
    if (node == null) return io.portcullis.policy.value.NullValue.NULL;
    switch (node.getNodeType()) {
      case OBJECT: {
        java.util.TreeMap<Value, Value> map = new java.util.TreeMap<>();
        java.util.Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> e = fields.next();
          map.put(new StringValue(e.getKey()), fromJson(e.getValue()));
        }
        return ObjectValue.of(map);
      }
      case ARRAY: {
        java.util.List<Value> items = new java.util.ArrayList<>(node.size());
        for (JsonNode child : node) items.add(fromJson(child));
        return new ArrayValue(items);
      }
      case STRING:
        return new StringValue(node.textValue());
      case BOOLEAN:
        return io.portcullis.policy.value.BooleanValue.of(node.booleanValue());
      case NUMBER:
        if (node.isIntegralNumber()) {
          return node.canConvertToLong() ? NumberValue.of(node.longValue()) : NumberValue.of(node.bigIntegerValue());
        }
        return NumberValue.of(node.decimalValue());
      default:
        return Json.fromJson(node);
    }
  }

  public static JsonNode toJson(Value value) {
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
    if (value instanceof ObjectValue o) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        String key = e.getKey() instanceof StringValue s ? s.value() : toJson(e.getKey()).toString();
        out.set(key, toJson(e.getValue()));
      }
      return out;
    }
    if (value instanceof NumberValue n) {
      if (n.isInteger()) {
        BigInteger i = n.bigDecimal().toBigIntegerExact();
        if (i.bitLength() < 32) return NODES.numberNode(i.intValue());
        if (i.bitLength() < 64) return NODES.numberNode(i.longValue());
        return NODES.numberNode(i);
      }
      return NODES.numberNode(n.bigDecimal());
    }
    return Json.toJson(value);
  }
}
