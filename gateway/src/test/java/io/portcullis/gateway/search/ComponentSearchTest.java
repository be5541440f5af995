package io.portcullis.gateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import io.portcullis.gateway.gate.EvidenceAttacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Which images contain X?" over HTTP, with a real generator's SBOM (cyclonedx-npm's juice-shop) and small ones. */
class ComponentSearchTest {
  static RegistryTestClient registry;
  static Image juiceShop;
  static JsonNode juiceShopComponent;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    registry = RegistryTestClient.start(dir);
    String shared = System.getProperty("portcullis.shared", "../../shared");
    Path bom = Path.of(shared, "fixtures/sbom/cyclonedx/cyclonedx-node-npm/juice-shop/flat/bom.1.6.json");
    JsonNode doc = Oci.JSON.readTree(bom.toFile());
    for (JsonNode c : doc.path("components")) {
      if (c.path("purl").asText("").startsWith("pkg:npm/") && c.has("version") && c.path("licenses").size() > 0) {
        juiceShopComponent = c;
        break;
      }
    }
    juiceShop = registry.pushImage("shop/juice", "v1", 1);
    EvidenceAttacher.attachSbom(registry, "shop/juice", juiceShop.digest(), juiceShop.manifest().length, Oci.OCI_MANIFEST, Files.readString(bom));
  }

  @AfterAll
  static void stop() { registry.close(); }

  private static JsonNode search(String query) throws Exception {
    Resp r = registry.get("/v2/_portcullis/ext/search/components?" + query);
    assertEquals(200, r.status(), r::toString);
    return Oci.JSON.readTree(r.body()).path("results");
  }

  @Test
  void aComponentOfARealSbomIsFoundByPurlWithAndWithoutVersionAndByName() throws Exception {
    String purl = juiceShopComponent.path("purl").asText();
    String base = purl.substring(0, purl.lastIndexOf('@'));
    for (String q : List.of("purl=" + RegistryTestClient.encode(purl), "purl=" + RegistryTestClient.encode(base),
        "name=" + RegistryTestClient.encode(juiceShopComponent.path("name").asText()) + "&version=" + juiceShopComponent.path("version").asText())) {
      JsonNode results = search(q);
      assertEquals(1, results.size(), q + " -> " + results);
      assertEquals("shop/juice", results.get(0).path("repository").asText());
      assertEquals(juiceShop.digest(), results.get(0).path("digest").asText());
      assertEquals("[\"v1\"]", results.get(0).path("tags").toString());
    }
    assertEquals(0, search("purl=" + RegistryTestClient.encode(base + "@0.0.0-never")).size());
  }

  @Test
  void licensesAreSearchableAndPagesFollowTheLink() throws Exception {
    List<String> pushed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Image img = registry.pushImage("lic/app" + i, "v1", 1);
      EvidenceAttacher.attachSbom(registry, "lic/app" + i, img.digest(), img.manifest().length, Oci.OCI_MANIFEST,
          EvidenceAttacher.cycloneDx("Zlib", 0));
      pushed.add("lic/app" + i);
    }
    List<String> seen = new ArrayList<>();
    String url = "/v2/_portcullis/ext/search/components?license=zlib&n=2";
    int pages = 0;
    while (url != null) {
      Resp r = registry.get(url);
      for (JsonNode m : Oci.JSON.readTree(r.body()).path("results")) seen.add(m.path("repository").asText());
      url = RegistryTestClient.nextLink(r);
      pages++;
    }
    assertEquals(pushed, seen, "license ids match case-insensitively, in repository order");
    assertEquals(3, pages);
  }

  @Test
  void deletingTheImageRemovesItFromResults() throws Exception {
    Image img = registry.pushImage("gone/app", "v1", 1);
    EvidenceAttacher.attachSbom(registry, "gone/app", img.digest(), img.manifest().length, Oci.OCI_MANIFEST,
        EvidenceAttacher.cycloneDx("0BSD", 0));
    assertTrue(search("license=0BSD").toString().contains("gone/app"));
    assertEquals(202, registry.delete("/v2/gone/app/manifests/" + img.digest()).status());
    assertFalse(search("license=0BSD").toString().contains("gone/app"), "a deleted subject is no longer a result");
  }

  @Test
  void aQueryNeedsExactlyOneCriterion() {
    RegistryTestClient.assertError(registry.get("/v2/_portcullis/ext/search/components"), 400, "UNSUPPORTED");
    RegistryTestClient.assertError(registry.get("/v2/_portcullis/ext/search/components?purl=notapurl"), 400, "UNSUPPORTED");
  }
}
