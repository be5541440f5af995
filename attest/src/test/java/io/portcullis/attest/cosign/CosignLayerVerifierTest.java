package io.portcullis.attest.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.Fixtures;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.TimestampSource;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every cosign-format signature vector in the shared fixtures (containers/image and skopeo-made). */
class CosignLayerVerifierTest {
  private static final String CI = "cosign/containers-image/";
  private static final long MAX = 1 << 20;

  private static TrustPolicy keys(String... pubFiles) throws Exception {
    List<TrustedKey> keys = new java.util.ArrayList<>();
    for (String f : pubFiles) {
      keys.add(TrustedKey.of(f, PublicKeyReader.fromPem(Fixtures.bytes(f))));
    }
    return TrustPolicy.ofKeys("test", keys, null);
  }

  private static TrustedRoot pemRoot() throws Exception {
    return TrustedRoot.fromPem(
        PublicKeyReader.certificatesFromPem(new String(Fixtures.bytes(CI + "fulcio_v1.crt.pem"))),
        List.of(PublicKeyReader.fromPem(Fixtures.bytes(CI + "rekor.pub"))));
  }

  private static VerificationEntry verifyDir(String dir, TrustPolicy policy) throws Exception {
    SignatureLayer layer = Fixtures.containersImageSignature(CI + dir + "/signature-1");
    String subject = Fixtures.sha256(Fixtures.bytes(CI + dir + "/manifest.json"));
    return CosignLayerVerifier.verify(layer, subject, policy, MAX);
  }

  @Test
  void keyBasedSignatureVerifies() throws Exception {
    VerificationEntry e = verifyDir("dir-img-cosign-valid", keys(CI + "cosign.pub"));
    assertTrue(e.verified(), e.detail());
    assertNull(e.reason());
    assertEquals("192.168.64.2:5000/cosign-signed-single-sample", e.dockerReference());
    assertTrue(e.keyId().startsWith("sha256:"));
  }

  @Test
  void severalTrustedKeysAnyMayVerify() throws Exception {
    assertTrue(verifyDir("dir-img-cosign-valid", keys(CI + "cosign2.pub", CI + "cosign.pub")).verified());
  }

  @Test
  void skopeoSignatureWithTagReportsReference() throws Exception {
    VerificationEntry e = verifyDir("dir-img-cosign-valid-with-tag", keys(CI + "cosign.pub"));
    assertTrue(e.verified(), e.detail());
    assertEquals("192.168.64.2:5000/skopeo-signed:tag", e.dockerReference());
  }

  @Test
  void signedIdentityMatchesLikeContainersPolicy() throws Exception {
    String ref = verifyDir("dir-img-cosign-valid-with-tag", keys(CI + "cosign.pub")).dockerReference();
    assertTrue(DockerReferenceMatch.exact("192.168.64.2:5000/skopeo-signed:tag").matches(ref));
    assertFalse(DockerReferenceMatch.exact("192.168.64.2:5000/skopeo-signed:othertag").matches(ref));
    assertTrue(DockerReferenceMatch.repository("192.168.64.2:5000/skopeo-signed").matches(ref));
    assertFalse(DockerReferenceMatch.repository("192.168.64.2:5000/other").matches(ref));
    assertTrue(DockerReferenceMatch.repository("localhost:5000/a").matches("localhost:5000/a@sha256:00"));
  }

  @Test
  void keyBasedWithRekorSetVerifiesAndGivesLogTime() throws Exception {
    TrustPolicy p = TrustPolicy.ofKeys("test",
        List.of(TrustedKey.of("cosign2", PublicKeyReader.fromPem(Fixtures.bytes(CI + "cosign2.pub")))), pemRoot());
    VerificationEntry e = verifyDir("dir-img-cosign-key-rekor-valid", p);
    assertTrue(e.verified(), e.detail());
    assertEquals(TimestampSource.TLOG_SET, e.timestampSource());
    assertEquals("192.168.64.2:5000/cosign-signed/key-1", e.dockerReference());
  }

  @Test
  void keyBasedWithoutLogKeysStillVerifiesTheSignature() throws Exception {
    assertTrue(verifyDir("dir-img-cosign-key-rekor-valid", keys(CI + "cosign2.pub")).verified());
  }

  @Test
  void wrongKeyFails() throws Exception {
    VerificationEntry e = verifyDir("dir-img-cosign-key-rekor-valid", keys(CI + "cosign.pub"));
    assertFalse(e.verified());
    assertEquals(Reason.WRONG_KEY, e.reason());
  }

  @Test
  void keylessWithFulcioRootAndRekorKeyVerifies() throws Exception {
    TrustPolicy p = TrustPolicy.ofIdentities("keyless", pemRoot(), List.of(new KeylessIdentity(
        StringMatch.exact("mitr@redhat.com"), StringMatch.exact("https://github.com/login/oauth"))))
        .withRequirements(true, false);
    VerificationEntry e = verifyDir("dir-img-cosign-fulcio-rekor-valid", p);
    assertTrue(e.verified(), e.detail());
    assertEquals("mitr@redhat.com", e.identity());
    assertEquals("https://github.com/login/oauth", e.issuer());
    assertEquals(TimestampSource.TLOG_SET, e.timestampSource());
    assertEquals("192.168.64.2:5000/cosign-signed/fulcio-rekor-1", e.dockerReference());
  }

  @Test
  void keylessVerifiesWithPublicGoodTrustedRootIncludingSct() throws Exception {
    TrustedRoot root = TrustedRoot.fromJson(Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json"));
    TrustPolicy p = TrustPolicy.ofIdentities("keyless", root, List.of(new KeylessIdentity(
        StringMatch.exact("mitr@redhat.com"), StringMatch.exact("https://github.com/login/oauth"))));
    assertTrue(p.requireSct());
    VerificationEntry e = verifyDir("dir-img-cosign-fulcio-rekor-valid", p);
    assertTrue(e.verified(), e.reason() + " " + e.detail());
  }

  @Test
  void keylessWithRegexIdentityVerifies() throws Exception {
    TrustPolicy p = TrustPolicy.ofIdentities("keyless", pemRoot(), List.of(new KeylessIdentity(
        StringMatch.regex(".*@redhat\\.com"), StringMatch.regex("https://github\\.com/.*"))))
        .withRequirements(true, false);
    assertTrue(verifyDir("dir-img-cosign-fulcio-rekor-valid", p).verified());
  }

  @Test
  void keylessWithOtherIdentityFails() throws Exception {
    TrustPolicy p = TrustPolicy.ofIdentities("keyless", pemRoot(), List.of(new KeylessIdentity(
        StringMatch.exact("someone@example.com"), StringMatch.exact("https://github.com/login/oauth"))))
        .withRequirements(true, false);
    assertEquals(Reason.IDENTITY_MISMATCH, verifyDir("dir-img-cosign-fulcio-rekor-valid", p).reason());
  }

  @Test
  void keylessWithOtherIssuerFails() throws Exception {
    TrustPolicy p = TrustPolicy.ofIdentities("keyless", pemRoot(), List.of(new KeylessIdentity(
        StringMatch.exact("mitr@redhat.com"), StringMatch.exact("https://accounts.google.com"))))
        .withRequirements(true, false);
    assertEquals(Reason.IDENTITY_MISMATCH, verifyDir("dir-img-cosign-fulcio-rekor-valid", p).reason());
  }

  @Test
  void keylessWithoutTrustedRootCannotVerify() throws Exception {
    assertEquals(Reason.NO_TRUST_CONFIGURED,
        verifyDir("dir-img-cosign-fulcio-rekor-valid", keys(CI + "cosign.pub")).reason());
  }

  @Test
  void keylessWithUntrustedCaFails() throws Exception {
    // The Rekor key is trusted but the only CA is an unrelated certificate (the log's key is no CA).
    TrustedRoot root = TrustedRoot.fromPem(
        PublicKeyReader.certificatesFromPem(new String(Fixtures.bytes(CI + "internal-rekor/rekor-cert"))),
        List.of(PublicKeyReader.fromPem(Fixtures.bytes(CI + "rekor.pub"))));
    TrustPolicy p = TrustPolicy.ofIdentities("keyless", root, List.of(new KeylessIdentity(
        StringMatch.exact("mitr@redhat.com"), StringMatch.exact("https://github.com/login/oauth"))))
        .withRequirements(true, false);
    assertEquals(Reason.UNTRUSTED_CHAIN, verifyDir("dir-img-cosign-fulcio-rekor-valid", p).reason());
  }

  @Test
  void tamperedSetFails() throws Exception {
    SignatureLayer layer = Fixtures.containersImageSignature(CI + "dir-img-cosign-key-rekor-valid/signature-1");
    Map<String, String> ann = new LinkedHashMap<>(layer.annotations());
    ann.put(SignatureLayer.BUNDLE_ANNOTATION, ann.get(SignatureLayer.BUNDLE_ANNOTATION).replace("\"integratedTime\":", "\"integratedTime\":1"));
    SignatureLayer bad = new SignatureLayer(layer.mediaType(), layer.payload(), ann, layer.artifactDigest());
    TrustPolicy p = TrustPolicy.ofKeys("test",
        List.of(TrustedKey.of("cosign2", PublicKeyReader.fromPem(Fixtures.bytes(CI + "cosign2.pub")))), pemRoot());
    String subject = Fixtures.sha256(Fixtures.bytes(CI + "dir-img-cosign-key-rekor-valid/manifest.json"));
    assertEquals(Reason.TLOG_INVALID, CosignLayerVerifier.verify(bad, subject, p, MAX).reason());
  }

  @Test
  void modifiedManifestIsDigestMismatch() throws Exception {
    VerificationEntry e = verifyDir("dir-img-cosign-modified-manifest", keys(CI + "cosign.pub"));
    assertFalse(e.verified());
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
  }

  @Test
  void otherAttachmentIsNotASignature() throws Exception {
    VerificationEntry e = verifyDir("dir-img-cosign-other-attachment", keys(CI + "cosign.pub"));
    assertFalse(e.verified());
    assertEquals(Reason.NOT_A_SIGNATURE, e.reason());
  }

  @Test
  void unknownKeySignatureFails() throws Exception {
    SignatureLayer layer = Fixtures.containersImageSignature(CI + "unknown-cosign-key.signature");
    String subject = Fixtures.sha256(Fixtures.bytes(CI + "dir-img-cosign-valid/manifest.json"));
    VerificationEntry e = CosignLayerVerifier.verify(layer, subject, keys(CI + "cosign.pub", CI + "cosign2.pub"), MAX);
    assertFalse(e.verified());
    assertEquals(Reason.WRONG_KEY, e.reason());
  }

  @Test
  void oversizePayloadIsTooLarge() throws Exception {
    SignatureLayer layer = Fixtures.containersImageSignature(CI + "dir-img-cosign-valid/signature-1");
    String subject = Fixtures.sha256(Fixtures.bytes(CI + "dir-img-cosign-valid/manifest.json"));
    assertEquals(Reason.TOO_LARGE, CosignLayerVerifier.verify(layer, subject, keys(CI + "cosign.pub"), 10).reason());
  }

  @Test
  void garbageSignatureAnnotationIsMalformedNotAnException() throws Exception {
    SignatureLayer layer = Fixtures.containersImageSignature(CI + "dir-img-cosign-valid/signature-1");
    SignatureLayer bad = new SignatureLayer(layer.mediaType(), layer.payload(),
        Map.of(SignatureLayer.SIGNATURE_ANNOTATION, "%%%"), layer.artifactDigest());
    assertEquals(Reason.MALFORMED, CosignLayerVerifier.verify(bad, "sha256:00", keys(CI + "cosign.pub"), MAX).reason());
    SignatureLayer junk = new SignatureLayer(layer.mediaType(), "{not json".getBytes(), layer.annotations(), null);
    assertEquals(Reason.MALFORMED, CosignLayerVerifier.verify(junk, "sha256:00", keys(CI + "cosign.pub"), MAX).reason());
  }

  // --- skopeo-sigstore/: signature manifests written by skopeo 1.18 to a real registry ---

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<VerificationEntry> verifySkopeo(String dir, String subject, TrustPolicy p) throws Exception {
    byte[] manifest = Fixtures.bytes("skopeo-sigstore/" + dir + "/sig-manifest.json");
    JsonNode m = JSON.readTree(manifest);
    List<VerificationEntry> out = new java.util.ArrayList<>();
    int i = 1;
    for (JsonNode l : m.path("layers")) {
      Map<String, String> ann = new LinkedHashMap<>();
      l.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      byte[] payload = Fixtures.bytes("skopeo-sigstore/" + dir + "/sig-payload-" + i++ + ".json");
      assertEquals(l.path("digest").asText(), Fixtures.sha256(payload));
      out.add(CosignLayerVerifier.verify(new SignatureLayer(l.path("mediaType").asText(), payload, ann,
          Fixtures.sha256(manifest)), subject, p, MAX));
    }
    return out;
  }

  @Test
  void skopeoSingleSignatureVerifies() throws Exception {
    String subject = Fixtures.sha256(Fixtures.bytes("skopeo-sigstore/image/manifest.json"));
    List<VerificationEntry> e = verifySkopeo("sig-k1", subject, keys("skopeo-sigstore/keys/cosign.pub"));
    assertEquals(1, e.size());
    assertTrue(e.get(0).verified(), e.get(0).detail());
    assertEquals("127.0.0.1:5002/demo/signed:v1", e.get(0).dockerReference());
  }

  @Test
  void skopeoTwoLayersEachVerifyWithTheirKey() throws Exception {
    byte[] sig = Fixtures.bytes("skopeo-sigstore/sig-multi/sig-manifest.json");
    String subject = JSON.readTree(Fixtures.bytes("skopeo-sigstore/sig-multi/sig-payload-1.json"))
        .at("/critical/image/docker-manifest-digest").asText();
    List<VerificationEntry> k1 = verifySkopeo("sig-multi", subject, keys("skopeo-sigstore/keys/cosign.pub"));
    assertTrue(k1.get(0).verified(), k1.get(0).detail());
    assertEquals(Reason.WRONG_KEY, k1.get(1).reason());
    List<VerificationEntry> k2 = verifySkopeo("sig-multi", subject, keys("skopeo-sigstore/keys/cosign2.pub"));
    assertEquals(Reason.WRONG_KEY, k2.get(0).reason());
    assertTrue(k2.get(1).verified(), k2.get(1).detail());
    assertTrue(sig.length > 0);
  }

  @Test
  void skopeoSignatureCopiedToAnotherImageIsDigestMismatch() throws Exception {
    String subject = Fixtures.sha256(Fixtures.bytes("skopeo-sigstore/neg-tampered/image-manifest.json"));
    List<VerificationEntry> e = verifySkopeo("neg-tampered", subject, keys("skopeo-sigstore/keys/cosign.pub"));
    assertEquals(Reason.DIGEST_MISMATCH, e.get(0).reason());
  }
}
