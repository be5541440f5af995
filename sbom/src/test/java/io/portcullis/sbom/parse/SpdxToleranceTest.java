package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.model.SbomDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** References to elements a generator left out of the document are dropped with a warning, not fatal. */
class SpdxToleranceTest {
  private final SbomParser parser = new SbomParser();

  private SbomDocument ok(byte[] bytes) {
    SbomParseResult r = parser.parse(bytes, null);
    return assertInstanceOf(SbomParseResult.Parsed.class, r, r::toString).document();
  }

  @Test
  void tagValueRelationshipToMissingElement() throws Exception {
    String tv = Files.readString(SharedFixtures.sbomDir().resolve("spdx/tools-java/SPDXTagExample-v2.3.spdx"));
    SbomDocument doc = ok((tv + "\nRelationship: SPDXRef-Package CONTAINS SPDXRef-not-here\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(4, doc.components().size());
    assertTrue(doc.warnings().stream().anyMatch(w -> w.contains("1 relationship")), doc.warnings().toString());
  }

  @Test
  void jsonDescribesAndHasFilesToMissingElements() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(SharedFixtures.sbomDir().resolve("spdx/spdx-examples/examplemaven-0.0.1.spdx.json").toFile());
    root.withArray("documentDescribes").add("SPDXRef-not-here");
    ((ObjectNode) root.withArray("packages").get(0)).withArray("hasFiles").add("SPDXRef-file-not-here");
    SbomDocument doc = ok(json.writeValueAsBytes(root));
    assertEquals(6, doc.components().size());
    assertTrue(doc.warnings().stream().anyMatch(w -> w.startsWith("2 relationship(s) or reference(s)")), doc.warnings().toString());
  }
}
