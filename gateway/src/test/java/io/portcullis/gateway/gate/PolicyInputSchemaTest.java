package io.portcullis.gateway.gate;

import static io.portcullis.gateway.gate.EvidenceAttacher.attachSbom;
import static io.portcullis.gateway.gate.EvidenceAttacher.cycloneDx;
import static io.portcullis.gateway.gate.EvidenceAttacher.signWithTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.attest.keys.CosignKeyPair;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input the gate really builds conforms to the documented schema, docs/policy-input.schema.json (a
 * small checker for the keywords the schema uses: type, required, properties, items, enum, const, $ref).
 */
class PolicyInputSchemaTest {
  @Test
  void aRealInputMatchesTheDocumentedSchema(@TempDir Path dir) throws Exception {
    CosignKeyPair key = CosignKeyPair.generate();
    List<TrustPolicy> trust = List.of(TrustPolicy.ofKeys("release", List.of(TrustedKey.of("release.pub", key.publicKey())), null));
    try (RegistryTestClient r = RegistryTestClient.start(dir, cfg -> cfg.withGate(cfg.gate().withTrust(trust)))) {
      Image img = r.pushImage("prod/schema", "v1", 2);
      signWithTag(r, "prod/schema", img.digest(), key);
      attachSbom(r, "prod/schema", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, cycloneDx("MIT", 1));
      JsonNode body = Oci.JSON.readTree(r.post("/v2/_portcullis/ext/policy/evaluate",
          "{\"action\":\"pull\",\"repository\":\"prod/schema\",\"reference\":\"v1\"}".getBytes(StandardCharsets.UTF_8)).body());
      JsonNode input = body.path("input");
      JsonNode schema = Oci.JSON.readTree(GateModesTest.repoRoot().resolve("docs/policy-input.schema.json").toFile());
      List<String> problems = new ArrayList<>();
      check(schema, schema, input, "input", problems);
      assertEquals(List.of(), problems);
      assertEquals("image", input.path("artifact").path("kind").asText());
      assertTrue(input.path("signatures").get(0).path("verified").asBoolean(), input::toString);
      assertEquals("pkg:npm/libfoo@1.0", input.path("sboms").get(0).path("components").get(0).path("purl").asText());
      assertEquals(1, input.path("vulnerabilities").path("critical").asInt(), input::toString);
      assertTrue(body.path("decision").path("deny").toString().contains("1 critical vulnerabilities"), body::toString);
    }
  }

  private static void check(JsonNode root, JsonNode schema, JsonNode value, String where, List<String> problems) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      check(root, root.at(ref.substring(1)), value, where, problems);
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(value)) problems.add(where + ": expected " + schema.get("const"));
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) found |= e.equals(value);
      if (!found) problems.add(where + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) problems.add(where + ": " + value.getNodeType() + " is not " + schema.get("type"));
    for (JsonNode req : schema.path("required")) {
      if (!value.has(req.asText())) problems.add(where + ": missing " + req.asText());
    }
    Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
    while (props.hasNext()) {
      Map.Entry<String, JsonNode> p = props.next();
      if (value.has(p.getKey())) check(root, p.getValue(), value.get(p.getKey()), where + "." + p.getKey(), problems);
    }
    if (schema.has("items") && value.isArray()) {
      for (int i = 0; i < value.size(); i++) check(root, schema.get("items"), value.get(i), where + "[" + i + "]", problems);
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) if (typeMatches(t, value)) return true;
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> true;
    };
  }
}
