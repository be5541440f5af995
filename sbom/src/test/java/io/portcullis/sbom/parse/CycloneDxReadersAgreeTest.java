package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cyclonedx.parsers.JsonParser;
import org.cyclonedx.parsers.XmlParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The field-by-field reader (used for XML and unvalidated JSON) and the CycloneDX library's data binding
 * (used for validated JSON) give the same model for every schema-valid CycloneDX fixture.
 */
class CycloneDxReadersAgreeTest {
  @TestFactory
  Stream<DynamicTest> sameModelBothWays() throws Exception {
    List<String> valid = new ArrayList<>();
    for (String rel : SharedFixtures.allSbomFixtures()) {
      if (rel.startsWith("cyclonedx/") && !rel.contains("/invalid-") && !rel.contains("syft/")) {
        valid.add(rel);
      }
    }
    return valid.stream().map(rel -> DynamicTest.dynamicTest(rel, () -> compare(rel)));
  }

  private static void compare(String rel) throws Exception {
    byte[] bytes = Files.readAllBytes(SharedFixtures.sbomDir().resolve(rel));
    boolean xml = rel.endsWith(".xml");
    ObjectMapper json = new ObjectMapper();
    CycloneDxTreeReader tree = new CycloneDxTreeReader(json);
    CycloneDxReader reader = new CycloneDxReader(true, tree);
    String version = new ContentSniffer(json.getFactory(), 256).sniff(bytes).specVersion();
    SbomEncoding encoding = xml ? SbomEncoding.CYCLONEDX_XML : SbomEncoding.CYCLONEDX_JSON;
    SbomDocument viaLibrary = reader.readWithLibrary(xml ? new XmlParser() : new JsonParser(), bytes, encoding, version, new ArrayList<>());
    SbomDocument viaTree = xml ? tree.readXml(bytes, version, new ArrayList<>()) : tree.readJson(bytes, version, new ArrayList<>());
    assertEquals(viaLibrary.components(), viaTree.components(), rel + " components");
    assertEquals(viaLibrary.dependencies(), viaTree.dependencies(), rel + " dependencies");
    assertEquals(viaLibrary.vulnerabilities(), viaTree.vulnerabilities(), rel + " vulnerabilities");
    assertEquals(viaLibrary.tools(), viaTree.tools(), rel + " tools");
    assertEquals(viaLibrary.created(), viaTree.created(), rel + " created");
    assertEquals(viaLibrary.serialNumber(), viaTree.serialNumber(), rel + " serial");
    assertEquals(viaLibrary.name(), viaTree.name(), rel + " name");
  }
}
