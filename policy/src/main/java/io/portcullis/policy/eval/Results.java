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
