package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import io.portcullis.sbom.model.SbomFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** SBOMs as in-toto predicates, in DSSE envelopes and Sigstore bundles; non-SBOM attestations are told apart. */
class EnvelopeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SbomParser parser = new SbomParser();

  private static Path fixture(String rel) {
    return SharedFixtures.sbomDir().resolve(rel);
  }

  private static ObjectNode statement(String predicateType, JsonNode predicate) {
    ObjectNode s = JSON.createObjectNode();
    s.put("_type", "https://in-toto.io/Statement/v0.1");
    s.put("predicateType", predicateType);
    ObjectNode subject = s.putArray("subject").addObject();
    subject.put("name", "registry.example/app");
    subject.putObject("digest").put("sha256", "a".repeat(64));
    s.set("predicate", predicate);
    return s;
  }

  private static byte[] dsse(ObjectNode statement) throws Exception {
    ObjectNode e = JSON.createObjectNode();
    e.put("payloadType", "application/vnd.in-toto+json");
    e.put("payload", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(statement)));
    e.putArray("signatures").addObject().put("keyid", "").put("sig", "AAAA");
    return JSON.writeValueAsBytes(e);
  }

  private SbomDocument ok(byte[] bytes) {
    SbomParseResult r = parser.parse(bytes, null);
    return assertInstanceOf(SbomParseResult.Parsed.class, r, r::toString).document();
  }

  private SbomParseResult.Failed failed(byte[] bytes) {
    SbomParseResult r = parser.parse(bytes, null);
    return assertInstanceOf(SbomParseResult.Failed.class, r, r::toString);
  }

  @Test
  void cycloneDxPredicateInStatementAndInDsse() throws Exception {
    JsonNode bom = JSON.readTree(fixture("cyclonedx/guac/quarkus-deps-cyclonedx.json").toFile());
    for (String type : new String[] {"https://cyclonedx.org/bom", "https://cyclonedx.org/bom/v1.4"}) {
      ObjectNode st = statement(type, bom);
      SbomDocument plain = ok(JSON.writeValueAsBytes(st));
      assertEquals(SbomFormat.CYCLONEDX, plain.format());
      assertEquals(94, plain.components().size());
      SbomDocument wrapped = ok(dsse(st));
      assertEquals(94, wrapped.components().size());
      assertEquals(SbomEncoding.CYCLONEDX_JSON, wrapped.encoding());
    }
  }

  @Test
  void spdxPredicateAsObjectAndAsTagValueString() throws Exception {
    JsonNode spdx = JSON.readTree(fixture("spdx/spdx-examples/examplemaven-0.0.1.spdx.json").toFile());
    SbomDocument doc = ok(dsse(statement("https://spdx.dev/Document", spdx)));
    assertEquals(SbomFormat.SPDX, doc.format());
    assertEquals(6, doc.components().size());

    String tagValue = Files.readString(fixture("spdx/tools-java/SPDXTagExample-v2.3.spdx"), StandardCharsets.UTF_8);
    SbomDocument tv = ok(JSON.writeValueAsBytes(statement("https://spdx.dev/Document/v2.3", JSON.getNodeFactory().textNode(tagValue))));
    assertEquals(SbomEncoding.SPDX_TAG_VALUE, tv.encoding());
    assertEquals(4, tv.components().size());
  }

  @Test
  void cosignDataWrappingIsUnwrapped() throws Exception {
    String bom = Files.readString(fixture("cyclonedx/spec-tests/1.6/valid-minimal-viable-1.6.json"));
    ObjectNode predicate = JSON.createObjectNode().put("Data", bom).put("Timestamp", "2024-01-01T00:00:00Z");
    assertEquals(1, ok(JSON.writeValueAsBytes(statement("https://cyclonedx.org/bom", predicate))).components().size());
  }

  @Test
  void sigstoreBundleWithDsseEnvelope() throws Exception {
    JsonNode bom = JSON.readTree(fixture("cyclonedx/spec-tests/1.5/valid-bom-1.5.json").toFile());
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    bundle.set("dsseEnvelope", JSON.readTree(dsse(statement("https://cyclonedx.org/bom", bom))));
    assertEquals(2, ok(JSON.writeValueAsBytes(bundle)).components().size());
  }

  @Test
  void predicateThatContradictsItsTypeIsInvalid() throws Exception {
    JsonNode bom = JSON.readTree(fixture("cyclonedx/spec-tests/1.5/valid-bom-1.5.json").toFile());
    assertEquals(FailureKind.INVALID, failed(dsse(statement("https://spdx.dev/Document", bom))).kind());
  }

  @Test
  void nonSbomAttestationsAreNotSboms() throws Exception {
    Path attestations = SharedFixtures.sharedDir().resolve("fixtures/attestations");
    for (String rel : new String[] {"cosign-policy/valid-vuln.json", "cosign-policy/valid-custom.json", "guac/oci-dsse-att.json"}) {
      SbomParseResult r = parser.parse(attestations.resolve(rel));
      SbomParseResult.Failed f = assertInstanceOf(SbomParseResult.Failed.class, r, rel);
      assertEquals(FailureKind.NOT_AN_SBOM, f.kind(), rel + ": " + f.reason());
    }
    SbomParseResult malformed = parser.parse(attestations.resolve("cosign-policy/malformed-vuln.json"));
    assertInstanceOf(SbomParseResult.Failed.class, malformed);
    Path bundle = SharedFixtures.sharedDir().resolve("fixtures/sigstore-bundles/sigstore-java/bundle.dsse.sigstore");
    if (Files.exists(bundle)) {
      assertEquals(FailureKind.NOT_AN_SBOM, ((SbomParseResult.Failed) parser.parse(bundle)).kind());
    }
  }

  @Test
  void nestedEnvelopesAreBounded() throws Exception {
    JsonNode bom = JSON.readTree(fixture("cyclonedx/spec-tests/1.6/valid-minimal-viable-1.6.json").toFile());
    byte[] bytes = dsse(statement("https://cyclonedx.org/bom", bom));
    for (int i = 0; i < 6; i++) {
      ObjectNode e = JSON.createObjectNode();
      e.put("payloadType", "application/vnd.dsse.envelope.v1+json");
      e.put("payload", Base64.getEncoder().encodeToString(bytes));
      e.putArray("signatures");
      bytes = JSON.writeValueAsBytes(e);
    }
    assertEquals(FailureKind.UNSAFE, failed(bytes).kind());
  }
}
