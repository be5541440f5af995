package io.portcullis.policy.compiler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.policy.ast.Location;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code # METADATA} annotations as {@code rego.metadata.rule()} and {@code rego.metadata.chain()} return them. */
final class Metadata {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private Metadata() {}

  /** Parses an annotation block; {@code scope} is set to defaultScope unless the block names one. */
  static ObjectValue parse(String yaml, String defaultScope, Location at, List<CompileError> errors) {
    JsonNode node;
    try {
      node = YAML.readTree(yaml);
    } catch (IOException e) {
      errors.add(new CompileError("rego_parse_error", "invalid METADATA block: " + e.getMessage(), at));
      return ObjectValue.EMPTY;
    }
    Value v = node == null || node.isNull() ? ObjectValue.EMPTY : Json.fromJson(node);
    if (!(v instanceof ObjectValue o)) {
      errors.add(new CompileError("rego_parse_error", "METADATA block must be a YAML mapping", at));
      return ObjectValue.EMPTY;
    }
    if (o.get("scope") == null) o = o.with(new StringValue("scope"), new StringValue(defaultScope));
    Value authors = o.get("authors");
    if (authors instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (Value x : a.elements()) out.add(x instanceof StringValue s ? author(s.value()) : x);
      o = o.with(new StringValue("authors"), new ArrayValue(out));
    }
    Value related = o.get("related_resources");
    if (related instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (Value x : a.elements()) out.add(x instanceof StringValue s ? ObjectValue.builder().put("ref", s).build() : x);
      o = o.with(new StringValue("related_resources"), new ArrayValue(out));
    }
    return o;
  }

  /** {@code "Jane Doe <jane@example.com>"} becomes {@code {"name": "Jane Doe", "email": "jane@example.com"}}. */
  private static Value author(String s) {
    String text = s.strip();
    ObjectValue.Builder b = ObjectValue.builder();
    int lt = text.lastIndexOf('<');
    if (text.endsWith(">") && lt >= 0) {
      String email = text.substring(lt + 1, text.length() - 1).strip();
      String name = text.substring(0, lt).strip();
      if (!name.isEmpty()) b.put("name", new StringValue(name));
      if (!email.isEmpty()) b.put("email", new StringValue(email));
      return b.build();
    }
    return b.put("name", new StringValue(text)).build();
  }

  /** One chain entry: {@code {"path": [...], "annotations": {...}}} (annotations omitted when null). */
  static ObjectValue entry(List<String> path, ObjectValue annotations) {
    List<Value> p = new ArrayList<>();
    for (String s : path) p.add(new StringValue(s));
    ObjectValue.Builder b = ObjectValue.builder().put("path", new ArrayValue(p));
    if (annotations != null) b.put("annotations", annotations);
    return b.build();
  }
}
