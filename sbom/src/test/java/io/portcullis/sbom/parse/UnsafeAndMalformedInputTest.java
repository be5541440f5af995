package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.sbom.SharedFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken input: every case is a failure entry with a reason, never an exception, never expanded. */
class UnsafeAndMalformedInputTest {
  private final SbomParser parser = new SbomParser();

  private static SbomParseResult.Failed failed(SbomParseResult r) {
    return assertInstanceOf(SbomParseResult.Failed.class, r, () -> "expected a failure, got " + r);
  }

  private SbomParseResult parse(String text) {
    return parser.parse(text.getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void xmlExternalEntityIsRefusedAndNeverResolved(@TempDir Path dir) throws IOException {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-MARKER");
    String xxe = "<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
        + "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" version=\"1\"><components>"
        + "<component type=\"library\"><name>&xxe;</name><version>1</version></component>"
        + "</components></bom>";
    SbomParseResult.Failed f = failed(parse(xxe));
    assertEquals(FailureKind.UNSAFE, f.kind(), f.reason());
    assertTrue(f.reason().contains("DTD"), f.reason());
    assertFalse(f.toString().contains("TOP-SECRET-MARKER"));
  }

  @Test
  void externalDtdIsRefused() {
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE bom SYSTEM \"http://127.0.0.1:9/bom.dtd\">"
        + "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" version=\"1\"/>";
    assertEquals(FailureKind.UNSAFE, failed(parse(xml)).kind());
  }

  @Test
  void billionLaughsIsRefusedWithoutExpansion() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    b.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for (int i = 2; i <= 9; i++) {
      b.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        b.append("&lol").append(i - 1).append(';');
      }
      b.append("\">\n");
    }
    b.append("]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" version=\"1\"><components>"
        + "<component type=\"library\"><name>&lol9;</name></component></components></bom>");
    SbomParseResult.Failed f = failed(parse(b.toString()));
    assertEquals(FailureKind.UNSAFE, f.kind(), f.reason());
    assertTrue(f.reason().length() < 1000);
  }

  @Test
  void entityReferenceWithoutDtdIsRefused() {
    String xml = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" version=\"1\"><components>"
        + "<component type=\"library\"><name>&undeclared;</name></component></components></bom>";
    SbomParseResult.Failed f = failed(parse(xml));
    assertTrue(f.kind() == FailureKind.UNSAFE || f.kind() == FailureKind.MALFORMED, f.toString());
  }

  @Test
  void yamlAliasBombIsAFailure() {
    StringBuilder b = new StringBuilder("spdxVersion: SPDX-2.3\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      b.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        b.append(i == 0 ? "" : ",").append('*').append(prev);
      }
      b.append("]\n");
      prev = c;
    }
    SbomParseResult.Failed f = failed(parse(b.toString()));
    assertTrue(f.kind() == FailureKind.MALFORMED || f.kind() == FailureKind.INVALID, f.toString());
  }

  @Test
  void deepJsonIsRefused() {
    String deep = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    SbomParseResult.Failed f = failed(parse(deep));
    assertEquals(FailureKind.UNSAFE, f.kind(), f.reason());
  }

  @Test
  void deepXmlIsRefused() {
    String deep = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">" + "<a>".repeat(2000) + "</a>".repeat(2000) + "</bom>";
    assertEquals(FailureKind.UNSAFE, failed(parse(deep)).kind());
  }

  @Test
  void sizeLimitIsCheckedWhileStreaming() {
    SbomParser small = new SbomParser(SbomParserLimits.DEFAULT.withMaxBytes(4096));
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return ' ';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        Arrays.fill(b, off, off + len, (byte) ' ');
        return len;
      }
    };
    SbomParseResult.Failed f = failed(small.parse(endless));
    assertEquals(FailureKind.TOO_LARGE, f.kind());
    assertTrue(f.reason().contains("4096"), f.reason());
  }

  @Test
  void sizeLimitAppliesToFiles() {
    SbomParser small = new SbomParser(SbomParserLimits.DEFAULT.withMaxBytes(100_000));
    Path big = SharedFixtures.sbomDir().resolve("cyclonedx/bom-examples/keycloak-10.0.2/bom.json");
    assertEquals(FailureKind.TOO_LARGE, failed(small.parse(big)).kind());
  }

  @Test
  void garbageIsAFailureNeverAnException() throws IOException {
    for (String text : new String[] {"", "   ", "{", "}", "[1,2]", "null", "<", "<bom", "hello world",
        "{\"bomFormat\":\"CycloneDX\"", "{\"a\":1} trailing", "{\"spdxVersion\": 3}", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":7}",
        "SPDXVersion: SPDX-2.3\n", "spdxVersion: SPDX-2.3\n", "<Document></Document>",
        "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"!!!\",\"signatures\":[]}"}) {
      SbomParseResult r = parse(text);
      assertFalse(r.ok(), "should fail: " + text);
      assertTrue(((SbomParseResult.Failed) r).reason().length() > 3);
    }
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      byte[] bytes = new byte[random.nextInt(2000)];
      random.nextBytes(bytes);
      assertFalse(parser.parse(bytes, "application/octet-stream").ok());
    }
    byte[] whole = Files.readAllBytes(SharedFixtures.sbomDir().resolve("cyclonedx/cyclonedx-node-npm/bundled-dependencies/bom.1.5.xml"));
    for (int cut : new int[] {1, 100, whole.length / 2, whole.length - 10}) {
      assertFalse(parser.parse(Arrays.copyOf(whole, cut), null).ok(), "truncated at " + cut);
    }
    byte[] spdx = Files.readAllBytes(SharedFixtures.sbomDir().resolve("spdx/tools-java/SPDXTagExample-v2.3.spdx"));
    assertFalse(parser.parse(new ByteArrayInputStream(Arrays.copyOf(spdx, spdx.length / 3))).ok());
  }

  @Test
  void unknownObjectFieldYieldsNoBogusComponent() {
    String bom = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"version\":1,\"components\":["
        + "{\"type\":\"library\",\"name\":\"a\",\"version\":\"1\",\"purl\":\"pkg:npm/a@1\",\"surprise\":{\"k\":\"v\"}},"
        + "{\"type\":\"library\",\"name\":\"b\",\"version\":\"2\",\"purl\":\"pkg:npm/b@2\"}]}";
    // schema validation flags the unknown property
    assertEquals(FailureKind.INVALID, failed(parse(bom)).kind());
    // without validation, the library's extra null component is filtered out
    SbomParser lenient = new SbomParser(SbomParserLimits.DEFAULT.withValidateSchema(false));
    SbomParseResult r = lenient.parse(bom.getBytes(StandardCharsets.UTF_8), null);
    var doc = assertInstanceOf(SbomParseResult.Parsed.class, r, r::toString).document();
    assertEquals(2, doc.components().size(), doc.components().toString());
    assertEquals("a", doc.components().get(0).name());
    assertEquals("pkg:npm/a@1", doc.components().get(0).purl());
  }
}
