package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fields the reader does not know must not change what it reports. The CycloneDX library's data binding
 * lets an unknown object field or a foreign-namespace XML element rename a component; these documents
 * would slip a component past a deny-list if that reached the model.
 */
class SpoofingTest {
  private static SbomDocument ok(SbomParser parser, String text) {
    SbomParseResult r = parser.parse(text.getBytes(StandardCharsets.UTF_8), null);
    return assertInstanceOf(SbomParseResult.Parsed.class, r, r::toString).document();
  }

  private static List<String> names(SbomDocument d) {
    return d.components().stream().map(SbomComponent::name).toList();
  }

  @Test
  void foreignXmlElementsDoNotRenameOrAddComponents() {
    String xml = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" version=\"1\"><components>"
        + "<component type=\"library\"><name>log4j-core</name><version>2.14.1</version>"
        + "<purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1</purl>"
        + "<x:ext xmlns:x=\"urn:example\"><x:name>harmless</x:name></x:ext></component>"
        + "<x:component xmlns:x=\"urn:example\"><x:name>ghost</x:name></x:component>"
        + "</components></bom>";
    SbomDocument d = ok(new SbomParser(), xml);
    assertEquals(List.of("log4j-core"), names(d));
    assertEquals("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", d.components().get(0).purl());
  }

  @Test
  void unknownJsonObjectFieldsDoNotRenameComponents() {
    String json = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.7\",\"version\":1,\"components\":["
        + "{\"type\":\"library\",\"name\":\"log4j-core\",\"version\":\"2.14.1\",\"purl\":\"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\","
        + "\"newIn17\":{\"name\":\"harmless\",\"version\":\"0\",\"purl\":\"pkg:npm/harmless@0\"},"
        + "\"licenses\":[{\"license\":{\"id\":\"Apache-2.0\"}}]},"
        + "{\"type\":\"library\",\"name\":\"b\",\"version\":\"2\",\"purl\":\"pkg:npm/b@2\"}]}";
    SbomDocument d = ok(new SbomParser(), json);
    assertEquals(List.of("log4j-core", "b"), names(d));
    assertEquals(List.of("Apache-2.0"), d.components().get(0).licenses());

    // same document declared 1.6 with validation off: still read field by field
    SbomParser lenient = new SbomParser(SbomParserLimits.DEFAULT.withValidateSchema(false));
    assertEquals(List.of("log4j-core", "b"), names(ok(lenient, json.replace("\"1.7\"", "\"1.6\""))));
  }
}
