package io.portcullis.sbom.recognize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.sbom.model.SbomFormat;
import io.portcullis.sbom.recognize.ArtifactDescription.Layer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SbomRecognizerTest {
  private final SbomRecognizer recognizer = new SbomRecognizer();
  private static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";

  private Recognition of(String artifactType, String config, List<Layer> layers, String tag) {
    return recognizer.recognize(new ArtifactDescription(artifactType, config, layers, tag));
  }

  @Test
  void byArtifactType() {
    for (String t : new String[] {"application/vnd.cyclonedx+json", "application/vnd.cyclonedx+xml", "application/vnd.cyclonedx",
        "application/vnd.cyclonedx+json; version=1.5", "APPLICATION/VND.CYCLONEDX;version=1.6"}) {
      Recognition r = of(t, EMPTY_CONFIG, List.of(new Layer(t)), null);
      assertEquals(Recognition.Verdict.SBOM, r.verdict(), t);
      assertEquals(SbomFormat.CYCLONEDX, r.format(), t);
      assertEquals(List.of(0), r.layers());
    }
    for (String t : new String[] {"application/spdx+json", "text/spdx"}) {
      Recognition r = of(t, EMPTY_CONFIG, List.of(new Layer("application/octet-stream")), null);
      assertEquals(SbomFormat.SPDX, r.format(), t);
      assertEquals(List.of(0), r.layers());
    }
  }

  @Test
  void byConfigAndByLayer() {
    assertEquals(SbomFormat.SPDX, of(null, "application/spdx+json", List.of(new Layer("application/json")), null).format());
    Recognition r = of(null, EMPTY_CONFIG,
        List.of(new Layer("application/vnd.oci.image.layer.v1.tar+gzip"), new Layer("text/spdx")), null);
    assertEquals(Recognition.Verdict.SBOM, r.verdict());
    assertEquals(List.of(1), r.layers());
  }

  @Test
  void attestationsByPredicateType() {
    String dsse = "application/vnd.dsse.envelope.v1+json";
    Recognition cdx = of(null, "application/vnd.oci.image.config.v1+json",
        List.of(new Layer(dsse, Map.of("predicateType", "https://cyclonedx.org/bom/v1.4"))), "sha256-" + "a".repeat(64) + ".att");
    assertEquals(Recognition.Verdict.SBOM, cdx.verdict());
    assertEquals(SbomFormat.CYCLONEDX, cdx.format());

    Recognition spdx = of("application/vnd.in-toto+json", EMPTY_CONFIG,
        List.of(new Layer("application/vnd.in-toto+json", Map.of("in-toto.io/predicate-type", "https://spdx.dev/Document"))), null);
    assertEquals(SbomFormat.SPDX, spdx.format());

    Recognition slsa = of(null, null,
        List.of(new Layer(dsse, Map.of("predicateType", "https://slsa.dev/provenance/v1"))), null);
    assertEquals(Recognition.Verdict.NOT_SBOM, slsa.verdict());
    assertFalse(slsa.worthParsing());

    Recognition unknown = of(null, null, List.of(new Layer(dsse)), null);
    assertEquals(Recognition.Verdict.ATTESTATION, unknown.verdict());
    assertTrue(unknown.worthParsing());
  }

  @Test
  void predicateTypes() {
    assertEquals(SbomFormat.CYCLONEDX, SbomTypes.formatOfPredicateType("https://cyclonedx.org/bom").orElseThrow());
    assertEquals(SbomFormat.CYCLONEDX, SbomTypes.formatOfPredicateType("https://cyclonedx.org/bom/v1.6").orElseThrow());
    assertEquals(SbomFormat.SPDX, SbomTypes.formatOfPredicateType("https://spdx.dev/Document/v2.3").orElseThrow());
    assertTrue(SbomTypes.formatOfPredicateType("https://cyclonedx.org/bomb").isEmpty());
    assertTrue(SbomTypes.formatOfPredicateType("https://slsa.dev/provenance/v0.2").isEmpty());
  }

  @Test
  void legacyCosignTagAndGenericTypes() {
    String tag = "sha256-" + "0123456789abcdef".repeat(4) + ".sbom";
    Recognition legacy = of(null, "application/vnd.oci.image.config.v1+json", List.of(new Layer("text/spdx+json-ish")), tag);
    assertEquals(Recognition.Verdict.SBOM, legacy.verdict());
    assertFalse(SbomTypes.isLegacyCosignSbomTag("sha256-abc.sbom"));
    assertFalse(SbomTypes.isLegacyCosignSbomTag("sha256-" + "0123456789abcdef".repeat(4) + ".sig"));

    Recognition generic = of(null, EMPTY_CONFIG, List.of(new Layer("application/octet-stream")), "v1");
    assertEquals(Recognition.Verdict.CANDIDATE, generic.verdict());
    assertEquals(List.of(0), generic.layers());

    Recognition image = of(null, "application/vnd.oci.image.config.v1+json",
        List.of(new Layer("application/vnd.oci.image.layer.v1.tar+gzip")), "latest");
    assertEquals(Recognition.Verdict.NOT_SBOM, image.verdict());
  }
}
