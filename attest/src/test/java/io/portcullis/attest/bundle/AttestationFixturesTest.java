package io.portcullis.attest.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.Fixtures;
import io.portcullis.attest.dsse.DsseVerifier;
import io.portcullis.attest.report.EvidenceKind;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.TimestampSource;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import io.portcullis.attest.verify.TransparencyLogVerifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bare DSSE envelopes of {@code fixtures/attestations} (their signing keys are not published, so they
 * must parse, report their predicate and fail as unverifiable, never throw) and the Rekor SET unit vector.
 */
class AttestationFixturesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static TrustPolicy someKey() throws Exception {
    return TrustPolicy.ofKeys("k", List.of(TrustedKey.of("cosign",
        PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/cosign.pub")))), null);
  }

  static VerificationEntry verify(byte[] envelope, ArtifactExpectation ex, TrustPolicy p) {
    return DsseVerifier.verify(envelope, Map.of(), ex, p, null, 1 << 20);
  }

  @Test
  void cosignPolicyEnvelopesParseAndReportPredicates() throws Exception {
    Map<String, String> predicates = Map.of(
        "valid-custom.json", "https://cosign.sigstore.dev/attestation/v1",
        "valid-vuln.json", "https://cosign.sigstore.dev/attestation/vuln/v1",
        "malformed-vuln.json", "cosign.sigstore.dev/attestation/vuln/v1");
    for (var e : predicates.entrySet()) {
      VerificationEntry r = verify(Fixtures.bytes("attestations/cosign-policy/" + e.getKey()), ArtifactExpectation.none(), someKey());
      assertEquals(EvidenceKind.ATTESTATION, r.kind());
      assertEquals(e.getValue(), r.predicateType(), e.getKey());
      assertEquals(Reason.WRONG_KEY, r.reason(), e.getKey());
    }
  }

  @Test
  void tektonChainsEnvelopeIsUnverifiableWithoutItsKey() throws Exception {
    VerificationEntry r = verify(Fixtures.bytes("attestations/guac/oci-dsse-att.json"),
        ArtifactExpectation.ofDigest("sha256:9e183c89765d92a440f44ac7059385c778cbadad0ee8fe3208360efb07c0ba09"), someKey());
    assertEquals("https://slsa.dev/provenance/v0.2", r.predicateType());
    assertEquals(Reason.WRONG_KEY, r.reason());
  }

  @Test
  void keylessEnvelopeWithoutLogEntryCannotBeVerifiedOffline() throws Exception {
    TrustPolicy p = TrustPolicy.ofIdentities("slsa",
        TrustedRoot.fromJson(Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json")),
        List.of(new KeylessIdentity(StringMatch.regex("https://github\\.com/slsa-framework/.*"),
            StringMatch.exact("https://token.actions.githubusercontent.com"))));
    VerificationEntry r = verify(Fixtures.bytes("attestations/slsa-verifier/annotated-tag.intoto.jsonl"),
        ArtifactExpectation.ofContent(Fixtures.bytes("attestations/slsa-verifier/annotated-tag")), p);
    assertFalse(r.verified());
    assertEquals(Reason.TLOG_MISSING, r.reason());
    assertEquals("https://slsa.dev/provenance/v0.2", r.predicateType());
  }

  static JsonNode gcbEnvelope(String file) throws Exception {
    return JSON.readTree(Fixtures.bytes("attestations/slsa-verifier/gcb_container/v0.3/" + file))
        .path("provenance_summary").path("provenance").get(0).path("envelope");
  }

  @Test
  void cloudBuildProvenanceParsesButGooglesKeyIsNotOurs() throws Exception {
    String digest = new String(Fixtures.bytes("attestations/slsa-verifier/gcb_container/v0.3/gcloud-container-github.digest")).trim();
    VerificationEntry r = verify(JSON.writeValueAsBytes(gcbEnvelope("gcloud-container-github.json")),
        ArtifactExpectation.ofDigest(digest), someKey());
    assertEquals(Reason.WRONG_KEY, r.reason());
    assertTrue(r.predicateType().startsWith("https://slsa.dev/provenance/"));
  }

  @Test
  void cloudBuildProvenanceWithBadSignatureEncodingIsMalformed() throws Exception {
    VerificationEntry r = verify(JSON.writeValueAsBytes(gcbEnvelope("gcloud-container-invalid-signature-encoding.json")),
        ArtifactExpectation.none(), someKey());
    assertEquals(Reason.MALFORMED, r.reason());
  }

  /** The sigstore-go DSSE bundle re-packed as a cosign {@code .att} layer: envelope + certificate + SET annotations. */
  static Map<String, String> attLayerAnnotations(JsonNode bundle, String integratedTimeOverride) throws Exception {
    JsonNode vm = bundle.path("verificationMaterial");
    StringBuilder leaf = new StringBuilder();
    StringBuilder chain = new StringBuilder();
    int i = 0;
    for (JsonNode c : vm.path("x509CertificateChain").path("certificates")) {
      String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
          .encodeToString(java.util.Base64.getDecoder().decode(c.path("rawBytes").asText())) + "\n-----END CERTIFICATE-----\n";
      (i++ == 0 ? leaf : chain).append(pem);
    }
    JsonNode e = vm.path("tlogEntries").get(0);
    var set = JSON.createObjectNode();
    set.put("SignedEntryTimestamp", e.path("inclusionPromise").path("signedEntryTimestamp").asText());
    var p = set.putObject("Payload");
    p.put("body", e.path("canonicalizedBody").asText());
    p.put("integratedTime", Long.parseLong(integratedTimeOverride != null ? integratedTimeOverride : e.path("integratedTime").asText()));
    p.put("logIndex", Long.parseLong(e.path("logIndex").asText()));
    p.put("logID", java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(e.path("logId").path("keyId").asText())));
    return Map.of("dev.sigstore.cosign/certificate", leaf.toString(), "dev.sigstore.cosign/chain", chain.toString(),
        "dev.sigstore.cosign/bundle", set.toString());
  }

  @Test
  void cosignAttestationLayerWithCertificateAndSetVerifies() throws Exception {
    JsonNode bundle = JSON.readTree(Fixtures.bytes("sigstore-bundles/sigstore-go/bundles/dsse.sigstore.json"));
    byte[] envelope = JSON.writeValueAsBytes(bundle.path("dsseEnvelope"));
    TrustPolicy p = TrustPolicy.ofIdentities("att",
        TrustedRoot.fromJson(Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json")),
        List.of(new KeylessIdentity(StringMatch.exact("brian@dehamer.com"), StringMatch.exact("https://github.com/login/oauth"))));
    VerificationEntry ok = DsseVerifier.verify(envelope, attLayerAnnotations(bundle, null), ArtifactExpectation.none(), p, null, 1 << 20);
    assertTrue(ok.verified(), ok.reason() + " " + ok.detail());
    assertEquals(TimestampSource.TLOG_SET, ok.timestampSource());
    assertEquals("https://slsa.dev/provenance/v0.2", ok.predicateType());
    VerificationEntry moved = DsseVerifier.verify(envelope, attLayerAnnotations(bundle, "1668034837"), ArtifactExpectation.none(), p, null, 1 << 20);
    assertEquals(Reason.TLOG_INVALID, moved.reason());
    VerificationEntry noSet = DsseVerifier.verify(envelope, Map.of("dev.sigstore.cosign/certificate",
        attLayerAnnotations(bundle, null).get("dev.sigstore.cosign/certificate")), ArtifactExpectation.none(), p, null, 1 << 20);
    assertEquals(Reason.TLOG_MISSING, noSet.reason());
  }

  @Test
  void cosignAttestationLayerWithRfc3161TimestampAnnotationVerifiesWhenLogIsNotRequired() throws Exception {
    String dir = "sigstore-bundles/conformance/rekor2-dsse-happy-path/";
    JsonNode bundle = JSON.readTree(Fixtures.bytes(dir + "bundle.sigstore.json"));
    byte[] envelope = JSON.writeValueAsBytes(bundle.path("dsseEnvelope"));
    String certPem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
        java.util.Base64.getDecoder().decode(bundle.at("/verificationMaterial/certificate/rawBytes").asText()))
        + "\n-----END CERTIFICATE-----\n";
    String ts = bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0/signedTimestamp").asText();
    TrustPolicy p = TrustPolicy.ofIdentities("tsa", TrustedRoot.fromJson(Fixtures.path(dir + "trusted_root.json")),
        List.of(new KeylessIdentity(StringMatch.exact(ConformanceCase.DEFAULT_IDENTITY), StringMatch.exact(ConformanceCase.DEFAULT_ISSUER))));
    Map<String, String> ann = Map.of("dev.sigstore.cosign/certificate", certPem,
        "dev.sigstore.cosign/rfc3161timestamp", "{\"SignedRFC3161Timestamp\":\"" + ts + "\"}");
    assertEquals(Reason.TLOG_MISSING, DsseVerifier.verify(envelope, ann, ArtifactExpectation.none(), p, null, 1 << 20).reason());
    VerificationEntry ok = DsseVerifier.verify(envelope, ann, ArtifactExpectation.none(), p.withRequirements(false, true), null, 1 << 20);
    assertTrue(ok.verified(), ok.reason() + " " + ok.detail());
    assertEquals(TimestampSource.RFC3161, ok.timestampSource());
    byte[] tsBytes = java.util.Base64.getDecoder().decode(ts);
    tsBytes[tsBytes.length - 10] ^= 1;
    Map<String, String> bad = Map.of("dev.sigstore.cosign/certificate", certPem, "dev.sigstore.cosign/rfc3161timestamp",
        "{\"SignedRFC3161Timestamp\":\"" + java.util.Base64.getEncoder().encodeToString(tsBytes) + "\"}");
    assertEquals(Reason.TIMESTAMP_INVALID,
        DsseVerifier.verify(envelope, bad, ArtifactExpectation.none(), p.withRequirements(false, true), null, 1 << 20).reason());
    assertEquals(Reason.MALFORMED, DsseVerifier.verify(envelope, Map.of("dev.sigstore.cosign/certificate", certPem,
        "dev.sigstore.cosign/rfc3161timestamp", "nope"), ArtifactExpectation.none(), p, null, 1 << 20).reason());
  }

  @Test
  void rekorSetUnitVectorVerifiesWithRekorKey() throws Exception {
    TrustedRoot root = TrustedRoot.fromPem(List.of(),
        List.of(PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/rekor.pub"))));
    var r = TransparencyLogVerifier.verifyCosignBundle(
        new String(Fixtures.bytes("cosign/containers-image/internal-rekor/rekor-set")), root);
    assertTrue(r.passed(), String.valueOf(r.failure()));
    assertEquals(TimestampSource.TLOG_SET, r.entry().source());
    assertEquals("hashedrekord", r.entry().body().path("kind").asText());
  }

  @Test
  void rekorSetWithUnknownLogFails() throws Exception {
    TrustedRoot root = TrustedRoot.fromPem(List.of(),
        List.of(PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/cosign.pub"))));
    var r = TransparencyLogVerifier.verifyCosignBundle(
        new String(Fixtures.bytes("cosign/containers-image/internal-rekor/rekor-set")), root);
    assertEquals(Reason.TLOG_INVALID, r.failure().reason());
  }
}
