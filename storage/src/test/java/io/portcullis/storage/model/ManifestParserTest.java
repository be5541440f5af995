package io.portcullis.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static Manifest parse(String json, String contentType) throws InvalidManifestException {
    return ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), contentType);
  }

  @Test
  void imageManifestWithSubjectAndArtifactType() throws Exception {
    Manifest m = parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + D1 + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/spdx+json\",\"digest\":\"" + D2 + "\",\"size\":10}],"
        + "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D2 + "\",\"size\":100},"
        + "\"annotations\":{\"org.example\":\"x\"}}", MediaTypes.OCI_MANIFEST);
    assertEquals("application/spdx+json", m.effectiveArtifactType());
    assertEquals(D2, m.subject().digest().toString());
    assertEquals(1, m.layers().size());
    assertEquals("x", m.annotations().get("org.example"));
  }

  @Test
  void artifactTypeDefaultsToTheConfigMediaType() throws Exception {
    Manifest m = parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.example.config\",\"digest\":\"" + D1 + "\",\"size\":2},\"layers\":[]}",
        MediaTypes.OCI_MANIFEST);
    assertEquals("application/vnd.example.config", m.effectiveArtifactType());
    assertNull(m.subject());
  }

  @Test
  void indexTakesItsTypeFromTheBodyWhenTheContentTypeIsGeneric() throws Exception {
    Manifest m = parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":[{\"mediaType\":\""
        + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":5}]}", null);
    assertTrue(m.isIndex());
    assertEquals(1, m.manifests().size());
  }

  @Test
  void refusesWhatIsNotAManifest() {
    assertThrows(InvalidManifestException.class, () -> parse("not json", MediaTypes.OCI_MANIFEST));
    assertThrows(InvalidManifestException.class, () -> parse("[]", MediaTypes.OCI_MANIFEST));
    assertThrows(InvalidManifestException.class, () -> parse("{\"schemaVersion\":1}", MediaTypes.OCI_MANIFEST));
    assertThrows(InvalidManifestException.class, () -> parse("{\"schemaVersion\":2,\"config\":{}}", "text/html"));
    assertThrows(InvalidManifestException.class, () -> parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
        + "\",\"manifests\":[]}", MediaTypes.OCI_MANIFEST), "body and Content-Type disagree");
    assertThrows(InvalidManifestException.class, () -> parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"sha256:xyz\",\"size\":1}}",
        MediaTypes.OCI_MANIFEST), "bad descriptor digest");
    assertThrows(InvalidManifestException.class, () -> parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" + D1 + "\",\"size\":-1}}",
        MediaTypes.OCI_MANIFEST), "negative size");
    assertThrows(InvalidManifestException.class, () -> parse("{\"a\":".repeat(200) + "1" + "}".repeat(200), MediaTypes.OCI_MANIFEST),
        "nesting depth is bounded");
  }
}
