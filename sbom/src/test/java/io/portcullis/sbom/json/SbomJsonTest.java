package io.portcullis.sbom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.parse.SbomParseResult;
import io.portcullis.sbom.parse.SbomParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SbomJsonTest {
  private static SbomDocument parse(String rel) {
    return ((SbomParseResult.Parsed) new SbomParser().parse(SharedFixtures.sbomDir().resolve(rel))).document();
  }

  @Test
  void policyEntryHasTheInputV1Shape() {
    SbomDocument doc = parse("spdx/tools-java/SPDXJSONExample-v2.3.spdx.json");
    JsonNode entry = SbomJson.policyEntry(doc, "sha256:" + "b".repeat(64));
    assertEquals("spdx", entry.path("format").asText());
    assertEquals("2.3", entry.path("specVersion").asText());
    assertEquals("sha256:" + "b".repeat(64), entry.path("digest").asText());
    assertEquals(4, entry.path("components").size());
    JsonNode c = entry.path("components").get(0);
    assertEquals(List.of("name", "version", "purl", "licenses"), List.copyOf(iterableNames(c)));
  }

  @Test
  void vexNotAffectedIsSuppressedInPolicyCounts() {
    SbomDocument vex = parse("cyclonedx/bom-examples/VEX/vex.json");
    JsonNode v = SbomJson.policyVulnerabilities(List.of(vex));
    assertEquals(0, v.path("high").asInt());
    assertEquals(1, v.path("suppressed").asInt());
    assertEquals("sbom", v.path("source").asText());
    JsonNode full = SbomJson.document(vex).path("vulnerabilities");
    assertEquals(1, full.path("counts").path("high").asInt());
    assertEquals(0, full.path("applicable").path("high").asInt());
  }

  private static List<String> iterableNames(JsonNode n) {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
