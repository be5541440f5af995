package io.portcullis.attest.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.attest.Fixtures;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.report.VerificationReport;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery and verification over the skopeo-made signature artifacts, served from memory. */
class SubjectVerifierTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String S = "skopeo-sigstore/";
  InMemorySource source;
  String subject;
  TrustPolicy k1;
  TrustPolicy k2;

  @BeforeEach
  void setUp() throws Exception {
    source = new InMemorySource();
    subject = source.putManifest("v1", Fixtures.bytes(S + "image/manifest.json"));
    source.putBlob(Fixtures.bytes(S + "sig-k1/sig-config.json"));
    source.putBlob(Fixtures.bytes(S + "sig-k1/sig-payload-1.json"));
    source.putManifest(EvidenceCollector.cosignTag(subject, "sig"), Fixtures.bytes(S + "sig-k1/sig-manifest.json"));
    k1 = TrustPolicy.ofKeys("k1", List.of(TrustedKey.of("k1", PublicKeyReader.fromPem(Fixtures.bytes(S + "keys/cosign.pub")))), null);
    k2 = TrustPolicy.ofKeys("k2", List.of(TrustedKey.of("k2", PublicKeyReader.fromPem(Fixtures.bytes(S + "keys/cosign2.pub")))), null);
  }

  @Test
  void findsTagSchemeSignatureAndVerifiesIt() {
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(source, "demo/signed", subject, List.of(k1));
    assertEquals(1, r.signatures().size());
    VerificationEntry e = r.signatures().get(0);
    assertTrue(e.verified(), e.detail());
    assertEquals("127.0.0.1:5002/demo/signed:v1", e.dockerReference());
    assertTrue(r.hasVerifiedSignature());
    assertTrue(r.toJson().contains("\"verified\" : true"));
  }

  @Test
  void policyInputHasTheDocumentedFields() {
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(source, "demo/signed", subject, List.of(k1));
    var input = r.toPolicyInput();
    @SuppressWarnings("unchecked")
    var sig = ((List<java.util.Map<String, Object>>) input.get("signatures")).get(0);
    assertEquals(true, sig.get("verified"));
    assertEquals("COSIGN_SIMPLE_SIGNING", sig.get("scheme"));
    assertTrue(((String) sig.get("keyId")).startsWith("sha256:"));
    assertTrue(((String) sig.get("digest")).startsWith("sha256:"));
    assertFalse(sig.containsKey("reason"));
    assertTrue(((List<?>) input.get("attestations")).isEmpty());
  }

  @Test
  void otherPolicyGivesWrongKeyAndAnyPolicyMayVerify() {
    SubjectVerifier v = new SubjectVerifier(VerificationLimits.DEFAULT, 100);
    assertEquals(Reason.WRONG_KEY, v.verify(source, "demo/signed", subject, List.of(k2)).signatures().get(0).reason());
    VerificationEntry e = v.verify(source, "demo/signed", subject, List.of(k2, k1)).signatures().get(0);
    assertTrue(e.verified());
    assertEquals("k1", e.policy());
  }

  @Test
  void resultsAreCachedBySignatureArtifactAndPolicyRevision() {
    SubjectVerifier v = new SubjectVerifier(VerificationLimits.DEFAULT, 100);
    v.verify(source, "demo/signed", subject, List.of(k1));
    int reads = source.blobReads;
    v.verify(source, "demo/signed", subject, List.of(k1));
    assertEquals(reads, source.blobReads);
    assertEquals(1, v.cache().hits());
    v.verify(source, "demo/signed", subject, List.of(k1.withRevision(2)));
    assertEquals(reads + 1, source.blobReads);
  }

  @Test
  void findsOci11ReferrerSignature() throws Exception {
    InMemorySource src = new InMemorySource();
    String subj = src.putManifest("v1", Fixtures.bytes(S + "image/manifest.json"));
    byte[] payload = Fixtures.bytes(S + "sig-k1/sig-payload-1.json");
    src.putBlob(payload);
    byte[] empty = "{}".getBytes();
    src.putBlob(empty);
    var sigManifest = (ObjectNode) JSON.readTree(Fixtures.bytes(S + "sig-k1/sig-manifest.json"));
    sigManifest.put("artifactType", EvidenceCollector.COSIGN_SIGNATURE_ARTIFACT);
    sigManifest.putObject("config").put("mediaType", "application/vnd.oci.empty.v1+json")
        .put("digest", Fixtures.sha256(empty)).put("size", 2);
    sigManifest.putObject("subject").put("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .put("digest", subj).put("size", Fixtures.bytes(S + "image/manifest.json").length);
    src.putManifest(null, JSON.writeValueAsBytes(sigManifest));
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(src, "demo/signed", subj, List.of(k1));
    assertEquals(1, r.signatures().size());
    assertTrue(r.signatures().get(0).verified(), r.signatures().get(0).detail());
  }

  /** A cosign-v3-shaped referrer: bundle v0.3, DSSE statement with predicate cosign/sign/v1, public-key signer. */
  static byte[] bundleReferrer(InMemorySource src, String subj, long subjSize, java.security.KeyPair kp, String predicate)
      throws Exception {
    var statement = JSON.createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement.putArray("subject").addObject().put("name", "demo/signed").putObject("digest").put("sha256", subj.substring(7));
    statement.put("predicateType", predicate);
    statement.putObject("predicate");
    byte[] payload = JSON.writeValueAsBytes(statement);
    var env = new io.portcullis.attest.dsse.DsseEnvelope("application/vnd.in-toto+json", payload, List.of());
    var signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(kp.getPrivate());
    signer.update(env.pae());
    var b64 = java.util.Base64.getEncoder();
    var bundle = JSON.createObjectNode();
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    bundle.putObject("verificationMaterial").putObject("publicKey").put("hint", "k");
    var e = bundle.putObject("dsseEnvelope");
    e.put("payload", b64.encodeToString(payload));
    e.put("payloadType", "application/vnd.in-toto+json");
    e.putArray("signatures").addObject().put("sig", b64.encodeToString(signer.sign()));
    byte[] bundleBytes = JSON.writeValueAsBytes(bundle);
    String layerDigest = src.putBlob(bundleBytes);
    byte[] empty = "{}".getBytes();
    src.putBlob(empty);
    var m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    m.put("artifactType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    m.putObject("config").put("mediaType", "application/vnd.oci.empty.v1+json").put("digest", Fixtures.sha256(empty)).put("size", 2);
    m.putArray("layers").addObject().put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json")
        .put("digest", layerDigest).put("size", bundleBytes.length);
    m.putObject("subject").put("mediaType", "application/vnd.oci.image.manifest.v1+json").put("digest", subj).put("size", subjSize);
    byte[] manifest = JSON.writeValueAsBytes(m);
    src.putManifest(null, manifest);
    return manifest;
  }

  @Test
  void cosignV3BundleReferrerCountsAsSignatureAndAttestationsAsAttestations() throws Exception {
    InMemorySource src = new InMemorySource();
    byte[] image = Fixtures.bytes(S + "image/manifest.json");
    String subj = src.putManifest("v1", image);
    var g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var kp = g.generateKeyPair();
    bundleReferrer(src, subj, image.length, kp, "https://sigstore.dev/cosign/sign/v1");
    bundleReferrer(src, subj, image.length, kp, "https://slsa.dev/provenance/v1");
    TrustPolicy p = TrustPolicy.ofKeys("v3", List.of(TrustedKey.of("k", kp.getPublic())), null);
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(src, "demo/signed", subj, List.of(p));
    assertEquals(1, r.signatures().size());
    assertTrue(r.signatures().get(0).verified(), r.signatures().get(0).detail());
    assertEquals("https://sigstore.dev/cosign/sign/v1", r.signatures().get(0).predicateType());
    assertEquals(1, r.attestations().size());
    assertTrue(r.attestations().get(0).verified());
    assertEquals("https://slsa.dev/provenance/v1", r.attestations().get(0).predicateType());
    // under a policy that does not trust the signing key
    VerificationReport other = new SubjectVerifier(VerificationLimits.DEFAULT, 100)
        .verify(src, "demo/signed", subj, List.of(TrustPolicy.ofKeys("k1", k1.keys(), null)));
    assertEquals(Reason.WRONG_KEY, other.signatures().get(0).reason());
  }

  @Test
  void signatureCopiedToAnotherImageFails() throws Exception {
    InMemorySource src = new InMemorySource();
    String other = src.putManifest("x", Fixtures.bytes(S + "neg-tampered/image-manifest.json"));
    src.putBlob(Fixtures.bytes(S + "neg-tampered/sig-payload-1.json"));
    src.putManifest(EvidenceCollector.cosignTag(other, "sig"), Fixtures.bytes(S + "neg-tampered/sig-manifest.json"));
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(src, "demo/signed", other, List.of(k1));
    assertEquals(Reason.DIGEST_MISMATCH, r.signatures().get(0).reason());
    assertFalse(r.hasVerifiedSignature());
  }

  @Test
  void twoLayerSignatureGivesTwoEntries() throws Exception {
    InMemorySource src = new InMemorySource();
    String subj = JSON.readTree(Fixtures.bytes(S + "sig-multi/sig-payload-1.json")).at("/critical/image/docker-manifest-digest").asText();
    src.putBlob(Fixtures.bytes(S + "sig-multi/sig-payload-1.json"));
    src.putBlob(Fixtures.bytes(S + "sig-multi/sig-payload-2.json"));
    src.putManifest(EvidenceCollector.cosignTag(subj, "sig"), Fixtures.bytes(S + "sig-multi/sig-manifest.json"));
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(src, "demo/multisig", subj, List.of(k1, k2));
    assertEquals(2, r.signatures().size());
    assertTrue(r.signatures().get(0).verified());
    assertTrue(r.signatures().get(1).verified());
  }

  @Test
  void limitsProduceEntriesNotExceptions() {
    VerificationReport r = new SubjectVerifier(new VerificationLimits(64, 64, 10, 4 << 20), 100)
        .verify(source, "demo/signed", subject, List.of(k1));
    assertEquals(Reason.TOO_LARGE, r.signatures().get(0).reason());
    source.blobs.clear();
    VerificationReport missing = new SubjectVerifier(VerificationLimits.DEFAULT, 100).verify(source, "demo/signed", subject, List.of(k1));
    assertEquals(Reason.FETCH_FAILED, missing.signatures().get(0).reason());
  }

  @Test
  void tooManyArtifactsAreCountedAsLimitExceeded() throws Exception {
    source.putBlob(Fixtures.bytes(S + "sig-multi/sig-payload-1.json"));
    source.putBlob(Fixtures.bytes(S + "sig-multi/sig-payload-2.json"));
    source.putManifest(EvidenceCollector.cosignTag(subject, "att"), Fixtures.bytes(S + "sig-multi/sig-manifest.json"));
    VerificationReport r = new SubjectVerifier(new VerificationLimits(1, 64, 1 << 20, 4 << 20), 100)
        .verify(source, "demo/signed", subject, List.of(k1));
    assertTrue(r.signatures().stream().anyMatch(e -> e.reason() == Reason.LIMIT_EXCEEDED));
  }

  @Test
  void oversizedEvidenceManifestIsTooLarge() {
    VerificationReport r = new SubjectVerifier(new VerificationLimits(64, 64, 1 << 20, 100), 100)
        .verify(source, "demo/signed", subject, List.of(k1));
    assertEquals(Reason.TOO_LARGE, r.signatures().get(0).reason());
  }

  @Test
  void noEvidenceIsAnEmptyReport() {
    VerificationReport r = new SubjectVerifier(VerificationLimits.DEFAULT, 100)
        .verify(new InMemorySource(), "x", "sha256:" + "0".repeat(64), List.of(k1));
    assertTrue(r.signatures().isEmpty());
    assertFalse(r.hasVerifiedSignature());
  }
}
