package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.recognize.ArtifactDescription;
import io.portcullis.sbom.recognize.Recognition;
import io.portcullis.sbom.recognize.SbomRecognizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SBOMs are pushed by anyone who may push. {@link SbomParser} promises that no exception leaves it: every
 * problem is a {@link SbomParseResult.Failed} with a kind and a reason. Its last-resort catch reports a
 * runtime exception as {@code "parser failed: ..."}; the format readers wrap the libraries' own exceptions,
 * so that message means our own code threw (a NullPointerException, a ClassCastException...), which these
 * fuzz tests count as a finding, like any exception, error or hang.
 *
 * <p>One method per format, each seeded with documents of that format, so that mutations stay near it.
 * {@code ./mvnw test} replays the committed inputs under
 * {@code src/test/resources/io/portcullis/sbom/parse/SbomParserFuzzTestInputs/<method>/}.
 */
class SbomParserFuzzTest {
  private static final SbomParser PARSER = new SbomParser();
  private static final ContentSniffer SNIFFER = sniffer();

  @FuzzTest(maxDuration = "1m")
  void cycloneDxJson(byte[] input) {
    check(input, "application/vnd.cyclonedx+json");
  }

  @FuzzTest(maxDuration = "1m")
  void cycloneDxXml(byte[] input) {
    check(input, "application/vnd.cyclonedx+xml");
  }

  @FuzzTest(maxDuration = "1m")
  void spdxJson(byte[] input) {
    check(input, "application/spdx+json");
  }

  @FuzzTest(maxDuration = "1m")
  void spdxTagValue(byte[] input) {
    check(input, "text/spdx");
  }

  @FuzzTest(maxDuration = "1m")
  void spdxYaml(byte[] input) {
    check(input, null);
  }

  @FuzzTest(maxDuration = "1m")
  void spdxXml(byte[] input) {
    check(input, null);
  }

  @FuzzTest(maxDuration = "1m")
  void spdx3JsonLd(byte[] input) {
    check(input, null);
  }

  /** In-toto statements, DSSE envelopes and Sigstore bundles that carry an SBOM. */
  @FuzzTest(maxDuration = "1m")
  void envelopes(byte[] input) {
    check(input, "application/vnd.in-toto+json");
  }

  /** Content sniffing alone: it decides the format, or refuses the document (too deep, a DTD...). */
  @FuzzTest(maxDuration = "1m")
  void sniff(byte[] input) {
    try {
      ContentSniffer.Sniffed s = SNIFFER.sniff(input);
      assertNotNull(s.encoding());
    } catch (RejectedDocument e) {
      assertNotNull(e.failure());
    }
  }

  /** Recognition from descriptors (artifact type, config and layer media types, annotations, tag). */
  @FuzzTest(maxDuration = "1m")
  void recognize(FuzzedDataProvider data) {
    String artifactType = data.consumeBoolean() ? null : data.consumeString(80);
    String configType = data.consumeBoolean() ? null : data.consumeString(80);
    String tag = data.consumeBoolean() ? null : data.consumeString(80);
    List<ArtifactDescription.Layer> layers = new ArrayList<>();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      Map<String, String> annotations = new LinkedHashMap<>();
      if (data.consumeBoolean()) annotations.put("predicateType", data.consumeString(80));
      if (data.consumeBoolean()) annotations.put(data.consumeString(40), data.consumeString(80));
      layers.add(new ArtifactDescription.Layer(data.consumeBoolean() ? null : data.consumeString(80), annotations));
    }
    Recognition r = new SbomRecognizer().recognize(new ArtifactDescription(artifactType, configType, layers, tag));
    assertNotNull(r);
    assertNotNull(r.verdict());
  }

  /** As {@link SbomParser} builds it. */
  private static ContentSniffer sniffer() {
    int depth = SbomParserLimits.DEFAULT.maxNestingDepth();
    JsonFactory factory = new JsonFactoryBuilder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(depth + 1).build()).build();
    return new ContentSniffer(factory, depth);
  }

  private static void check(byte[] input, String mediaType) {
    SbomParseResult result = PARSER.parse(input, mediaType);
    assertNotNull(result);
    if (result instanceof SbomParseResult.Failed f) {
      assertNotNull(f.kind());
      assertNotNull(f.reason());
      assertFalse(f.reason().startsWith("parser failed:"), "an exception escaped the format readers: " + f.reason());
      return;
    }
    SbomDocument doc = ((SbomParseResult.Parsed) result).document();
    assertNotNull(doc.format());
    assertNotNull(doc.components());
    doc.components().forEach(c -> assertNotNull(c));
    assertNotNull(doc.vulnerabilities());
  }
}
