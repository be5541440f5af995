package io.portcullis.attest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.bundle.SigstoreBundleVerifier;
import io.portcullis.attest.cosign.CosignLayerVerifier;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.cosign.SimpleSigningPayload;
import io.portcullis.attest.dsse.DsseVerifier;
import io.portcullis.attest.dsse.InTotoStatement;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signature layers, DSSE envelopes, in-toto statements and Sigstore bundles are pushed by anyone who may
 * push. The payload parsers return a value or throw their documented exception
 * ({@link IllegalArgumentException}, {@link IOException} for PEM and trusted roots); the verifiers never
 * throw and always report an entry. Their last-resort catch turns a runtime exception into a
 * {@code MALFORMED} entry whose detail is the exception's message: a JVM programming-error message there
 * (a NullPointerException's "Cannot invoke ...", a ClassCastException, an index out of bounds) means our
 * own code threw, and counts as a finding.
 *
 * <p>{@code ./mvnw test} replays the committed inputs under
 * {@code src/test/resources/io/portcullis/attest/SignaturePayloadFuzzTestInputs/<method>/}.
 */
class SignaturePayloadFuzzTest {
  private static final long MAX = 1 << 20;
  private static final String CI = "cosign/containers-image/";
  private static final String SUBJECT = "sha256:" + "1".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Key-based trust with a Fulcio CA and a Rekor key, so that both the key and the certificate paths run. */
  private static final TrustPolicy KEYS = keys();
  /** Keyless trust: the public-good root, any identity. */
  private static final TrustPolicy KEYLESS = keyless();

  @FuzzTest(maxDuration = "1m")
  void simpleSigningPayload(byte[] input) {
    try {
      SimpleSigningPayload p = SimpleSigningPayload.parse(input);
      assertNotNull(p.manifestDigest());
      assertNotNull(p.type());
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "1m")
  void inTotoStatement(byte[] input) {
    try {
      InTotoStatement s = InTotoStatement.parse(input);
      assertTrue(s.type().startsWith("https://in-toto.io/Statement/"));
      assertNotNull(s.subjects());
      assertNotNull(s.kind());
      s.hasSubjectSha256("1".repeat(64));
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "1m")
  void dsseEnvelope(byte[] input) {
    check(DsseVerifier.verify(input, Map.of(), ArtifactExpectation.ofDigest(SUBJECT), KEYS, SUBJECT, MAX));
  }

  /** A cosign signature layer in containers/image's form: {@code {"mimeType", "payload" (base64), "annotations"}}. */
  @FuzzTest(maxDuration = "2m")
  void cosignLayer(byte[] input) {
    SignatureLayer layer = layerOf(input);
    if (layer == null) return; // not a layer at all: nothing for the verifier to see
    check(CosignLayerVerifier.verify(layer, SUBJECT, KEYS, MAX));
    check(CosignLayerVerifier.verify(layer, SUBJECT, KEYLESS, MAX));
  }

  @FuzzTest(maxDuration = "1m")
  void sigstoreBundle(byte[] input) {
    check(SigstoreBundleVerifier.verify(input, ArtifactExpectation.ofDigest(SUBJECT), KEYLESS, SUBJECT, MAX));
    check(SigstoreBundleVerifier.verify(input, ArtifactExpectation.ofContent(new byte[] {'a'}), KEYS, SUBJECT, MAX));
  }

  @FuzzTest(maxDuration = "1m")
  void pem(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      PublicKeyReader.allFromPem(text).forEach(k -> assertNotNull(TrustedKey.idOf(k)));
    } catch (IOException e) {
      assertNotNull(e.getMessage());
    }
    try {
      PublicKeyReader.certificatesFromPem(text).forEach(c -> assertNotNull(c.getSubjectX500Principal()));
    } catch (IOException e) {
      assertNotNull(e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "1m")
  void trustedRoot(byte[] input) {
    try {
      assertNotNull(TrustedRoot.fromJson(input));
    } catch (IOException e) {
      assertNotNull(e.getMessage());
    }
  }

  /** The verifiers' last-resort catches: {@code "<prefix><the exception's message>"}. */
  private static final List<String> CATCH_ALL = List.of("unreadable evidence: ", "unreadable envelope: ", "unreadable bundle: ");
  /** How the JVM words the messages of programming errors (NullPointerException, ClassCastException, bounds). */
  private static final java.util.regex.Pattern JVM_ERROR = java.util.regex.Pattern.compile(
      "null|Cannot (invoke|read|load|store|assign|throw|enter|exit) .*|class \\S+ cannot be cast to .*"
      + "|(Index|index) -?\\d+ out of bounds for length \\d+|begin -?\\d+, end -?\\d+, length \\d+|Range \\[.*out of bounds.*",
      java.util.regex.Pattern.DOTALL);

  private static void check(VerificationEntry e) {
    assertNotNull(e);
    if (e.verified()) return;
    assertNotNull(e.reason());
    String detail = String.valueOf(e.detail());
    for (String prefix : CATCH_ALL) {
      if (detail.startsWith(prefix)) {
        String message = detail.substring(prefix.length());
        assertFalse(JVM_ERROR.matcher(message).matches(), "a programming error was caught as malformed evidence: " + detail);
      }
    }
  }

  private static SignatureLayer layerOf(byte[] raw) {
    byte[] prefix = "\u0000sigstore-json\n".getBytes(StandardCharsets.ISO_8859_1);
    int skip = raw.length >= prefix.length && Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length) ? prefix.length : 0;
    JsonNode n;
    byte[] payload;
    try {
      n = JSON.readTree(Arrays.copyOfRange(raw, skip, raw.length));
      payload = Base64.getDecoder().decode(n.path("payload").asText(""));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    n.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new SignatureLayer(n.path("mimeType").asText(""), payload, annotations, SUBJECT);
  }

  private static TrustPolicy keys() {
    try {
      TrustedRoot root = TrustedRoot.fromPem(
          PublicKeyReader.certificatesFromPem(new String(Fixtures.bytes(CI + "fulcio_v1.crt.pem"), StandardCharsets.UTF_8)),
          List.of(PublicKeyReader.fromPem(Fixtures.bytes(CI + "rekor.pub"))));
      return TrustPolicy.ofKeys("fuzz-keys", List.of(TrustedKey.of("cosign.pub", PublicKeyReader.fromPem(Fixtures.bytes(CI + "cosign.pub")))), root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TrustPolicy keyless() {
    try {
      return TrustPolicy.ofIdentities("fuzz-keyless",
          TrustedRoot.fromJson(Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json")),
          List.of(new KeylessIdentity(StringMatch.regex(".*"), StringMatch.regex(".*"))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
