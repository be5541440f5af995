package io.portcullis.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.Value;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Policy input (the gateway's {@code /v1/data} and policy endpoints read it with a plain
 * {@link ObjectMapper}) and data documents ({@code data.json}, {@code json.unmarshal}: exact big numbers)
 * become Rego values through {@link Json}. Whatever the JSON, the conversion succeeds (or refuses a number
 * out of range with {@link IllegalArgumentException}), survives a round trip, and a policy that looks at the input, marshals and unmarshals it, answers within its budget or
 * with a {@link PolicyException}.
 *
 * <p>{@code ./mvnw test} replays the committed inputs under
 * {@code src/test/resources/io/portcullis/policy/JsonInputFuzzTestInputs/<method>/}.
 */
class JsonInputFuzzTest {
  /** A plain mapper: floats become doubles (1e400 is Infinity, which {@link Json#fromJson} refuses). */
  static final ObjectMapper PLAIN_JSON = new ObjectMapper();
  /** How data documents, json.unmarshal and the gateway's /v1/data read JSON: numbers keep their exact value. */
  static final ObjectMapper EXACT_JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static final String MODULE = """
      package fuzz
      import rego.v1

      echo := input
      kind := type_name(input)
      size := count(input) if is_array(input)
      size := count(input) if is_object(input)
      text := json.marshal(input)
      again := json.unmarshal(json.marshal(input))
      yaml_again := yaml.unmarshal(yaml.marshal(input))
      numbers := [n | walk(input, [_, n]); is_number(n)]
      doubled := [n * 2 | some n in numbers]
      total := sum(numbers)
      keys := {k | some k, _ in input} if is_object(input)
      """;

  private static final EmbeddedRegoEngine ENGINE = engine();

  @FuzzTest(maxDuration = "1m")
  void plainInput(byte[] input) {
    roundTrip(PLAIN_JSON, input);
  }

  @FuzzTest(maxDuration = "1m")
  void exactData(byte[] input) {
    roundTrip(EXACT_JSON, input);
  }

  @FuzzTest(maxDuration = "2m")
  void evaluateInput(byte[] body) {
    JsonNode input;
    try {
      input = EXACT_JSON.readTree(body);
    } catch (IOException | NumberFormatException e) {
      return; // not JSON (Jackson throws NumberFormatException for an exponent beyond an int): answered 400
    }
    try {
      ENGINE.evaluate("fuzz", input).ifPresent(result -> assertNotNull(result.toString()));
    } catch (PolicyException e) {
      assertNotNull(e.code());
    }
  }

  private static void roundTrip(ObjectMapper mapper, byte[] bytes) {
    JsonNode node;
    try {
      node = mapper.readTree(bytes);
    } catch (IOException | NumberFormatException e) {
      return; // not JSON: the caller answers 400
    }
    Value value;
    try {
      value = Json.fromJson(node);
    } catch (IllegalArgumentException e) {
      // documented: numbers beyond NumberValue's range (and doubles that overflowed to Infinity)
      assertTrue(e.getMessage().startsWith("number out of range"), e.getMessage());
      return;
    }
    assertNotNull(Json.render(value));
    Value again = Json.fromJson(Json.toJson(value));
    assertEquals(value, again);
    assertEquals(value.hashCode(), again.hashCode());
  }

  private static EmbeddedRegoEngine engine() {
    try {
      return EmbeddedRegoEngine.fromSources(Map.of("fuzz.rego", MODULE), null,
          new EvaluationLimits(50_000, Duration.ofSeconds(1)));
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }
}
