package io.portcullis.attest.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.attest.Fixtures;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sigstore bundles from sigstore-java, sigstore-go, cosign and slsa-verifier, each with its expected result. */
class BundleFixturesTest {
  static final String SJ = "sigstore-bundles/sigstore-java/";
  static final String SG = "sigstore-bundles/sigstore-go/";
  static final String PUBLIC_GOOD = SG + "trusted-roots/public-good.json";
  static final String GITHUB = "https://token.actions.githubusercontent.com";

  static TrustPolicy keyless(String root, String san, String issuer) throws Exception {
    return TrustPolicy.ofIdentities("test", TrustedRoot.fromJson(Fixtures.path(root)),
        List.of(new KeylessIdentity(StringMatch.exact(san), StringMatch.exact(issuer))));
  }

  static VerificationEntry verify(String bundle, String artifact, TrustPolicy p) throws Exception {
    ArtifactExpectation ex = artifact == null ? ArtifactExpectation.none()
        : ArtifactExpectation.ofContent(Fixtures.bytes(artifact));
    return SigstoreBundleVerifier.verify(Fixtures.bytes(bundle), ex, p, "sha256:abc", 1 << 24);
  }

  static void ok(VerificationEntry e) {
    assertTrue(e.verified(), e.reason() + ": " + e.detail());
  }

  // --- sigstore-java ---

  @Test
  void sigstoreJavaBundleVersionsVerifyAgainstBothPublicGoodRoots() throws Exception {
    for (String root : List.of(SJ + "trusted_root.json", PUBLIC_GOOD)) {
      for (String b : List.of("bundle.v1.sigstore", "bundle.v2.sigstore", "bundle.v3.sigstore", "bundle.v3_1.sigstore")) {
        VerificationEntry e = verify(SJ + b, SJ + "artifact.txt",
            keyless(root, "appu@google.com", "https://accounts.google.com"));
        ok(e);
        assertEquals(EvidenceKind.SIGNATURE, e.kind());
        assertEquals(TimestampSource.TLOG_SET, e.timestampSource());
      }
    }
  }

  @Test
  void sigstoreJavaDsseBundleVerifiesAndReportsPredicate() throws Exception {
    VerificationEntry e = verify(SJ + "bundle.dsse.sigstore", SJ + "artifact.txt", keyless(SJ + "trusted_root.json",
        "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main", GITHUB));
    ok(e);
    assertEquals(EvidenceKind.ATTESTATION, e.kind());
    assertEquals("https://slsa.dev/provenance/v1", e.predicateType());
  }

  @Test
  void sigstoreJavaDsseBadSignatureFails() throws Exception {
    VerificationEntry e = verify(SJ + "bundle.dsse.bad-signature.sigstore", SJ + "artifact.txt",
        keyless(SJ + "trusted_root.json",
            "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main", GITHUB));
    assertEquals(Reason.BAD_SIGNATURE, e.reason());
  }

  @Test
  void sigstoreJavaAlgorithmVariantsVerify() throws Exception {
    for (String b : List.of("PKIX_ECDSA_P256_SHA_256.sigstore.json", "PKIX_ECDSA_P384_SHA_384.sigstore.json",
        "PKIX_RSA_PKCS1V15_2048_SHA256.sigstore.json")) {
      TrustPolicy p = TrustPolicy.ofIdentities("test", TrustedRoot.fromJson(Fixtures.path(SJ + "trusted_root.json")),
          List.of(new KeylessIdentity(StringMatch.regex(".*@sigstore-conformance\\.iam\\.gserviceaccount\\.com"),
              StringMatch.exact("https://accounts.google.com"))));
      ok(verify(SJ + b, SJ + "artifact.txt", p));
    }
  }

  @Test
  void sigstoreJavaMismatchedSetFails() throws Exception {
    assertEquals(Reason.TLOG_INVALID, verify(SJ + "bundle-with-mismatched-set.sigstore", SJ + "artifact.txt",
        keyless(SJ + "trusted_root.json", "appu@google.com", "https://accounts.google.com")).reason());
  }

  @Test
  void sigstoreJavaV3WithoutInclusionProofFails() throws Exception {
    assertEquals(Reason.TLOG_INVALID, verify(SJ + "bundle.v3.no.inclusion.sigstore", SJ + "artifact.txt",
        keyless(SJ + "trusted_root.json", "appu@google.com", "https://accounts.google.com")).reason());
  }

  @Test
  void sigstoreJavaBundleWithTimestampVerifiesWithStagingRoot() throws Exception {
    ok(verify(SJ + "bundle-with-timestamp.sigstore", SJ + "artifact.txt",
        keyless(SJ + "staging_trusted_root.json", "aaronlew@google.com", "https://accounts.google.com")));
  }

  @Test
  void githubPrivateInstanceWithoutLogVerifiesByTimestampWhenPolicyAllows() throws Exception {
    String line = new String(Fixtures.bytes(SJ + "github-private-no-tlog/trusted_root.jsonl"), StandardCharsets.UTF_8)
        .lines().filter(l -> l.contains("fulcio.githubapp.com")).findFirst().orElseThrow();
    TrustPolicy p = TrustPolicy.ofIdentities("github", TrustedRoot.fromJson(line.getBytes(StandardCharsets.UTF_8)),
        List.of(new KeylessIdentity(StringMatch.regex("https://github\\.com/.*"), StringMatch.exact(GITHUB))));
    VerificationEntry strict = verify(SJ + "github-private-no-tlog/attestation.sigstore.json", null, p);
    assertEquals(Reason.TLOG_MISSING, strict.reason());
    VerificationEntry e = verify(SJ + "github-private-no-tlog/attestation.sigstore.json", null,
        p.withRequirements(false, false));
    ok(e);
    assertEquals(TimestampSource.RFC3161, e.timestampSource());
  }

  @Test
  void sigstoreJavaBundleWithWrongIdentityFails() throws Exception {
    assertEquals(Reason.IDENTITY_MISMATCH, verify(SJ + "bundle.v3.sigstore", SJ + "artifact.txt",
        keyless(SJ + "trusted_root.json", "someone@google.com", "https://accounts.google.com")).reason());
  }

  @Test
  void keylessBundleUnderKeyOnlyPolicyIsNotTrusted() throws Exception {
    TrustPolicy keysOnly = TrustPolicy.ofKeys("keys", List.of(TrustedKey.of("k",
        PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/cosign.pub")))), null);
    assertEquals(Reason.NO_TRUST_CONFIGURED, verify(SJ + "bundle.v3.sigstore", SJ + "artifact.txt", keysOnly).reason());
  }

  @Test
  void otherArtifactIsDigestMismatch() throws Exception {
    assertEquals(Reason.DIGEST_MISMATCH, verify(SJ + "bundle.v3.sigstore", "attestations/slsa-verifier/annotated-tag",
        keyless(SJ + "trusted_root.json", "appu@google.com", "https://accounts.google.com")).reason());
  }

  // --- sigstore-go ---

  @Test
  void sigstoreGoDsseBundleVerifiesWithoutArtifact() throws Exception {
    VerificationEntry e = verify(SG + "bundles/dsse.sigstore.json", null,
        keyless(PUBLIC_GOOD, "brian@dehamer.com", "https://github.com/login/oauth"));
    ok(e);
    assertEquals("https://slsa.dev/provenance/v0.2", e.predicateType());
  }

  @Test
  void sigstoreGoOtherNameSanVerifiesWithScaffoldingRoot() throws Exception {
    VerificationEntry e = SigstoreBundleVerifier.verify(Fixtures.bytes(SG + "bundles/othername.sigstore.json"),
        new ArtifactExpectation("bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b", null),
        keyless(SG + "trusted-roots/scaffolding.json", "foo!oidc.local", "http://oidc.local:8080"), null, 1 << 20);
    ok(e);
    assertEquals("foo!oidc.local", e.identity());
  }

  @Test
  void sigstoreGoNpmProvenanceBundlesVerify() throws Exception {
    String release = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";
    ok(verify(SG + "bundles/sigstore.js@2.0.0-provenance.sigstore.json", null, keyless(PUBLIC_GOOD, release, GITHUB)));
    ok(verify(SG + "examples/bundle-provenance.json", null, keyless(PUBLIC_GOOD, release, GITHUB)));
  }

  @Test
  void sigstoreGoPublicKeyBundleVerifiesWithKeyAndTimestamp() throws Exception {
    TrustPolicy p = TrustPolicy.ofKeys("managed", List.of(TrustedKey.of("pem",
        PublicKeyReader.fromPem(Fixtures.bytes(SG + "public-keys/public-key-validity.pem")))),
        TrustedRoot.fromJson(Fixtures.path(SG + "trusted-roots/public-key-validity.json")));
    VerificationEntry e = verify(SG + "bundles/public-key-validity.sigstore.json", null, p);
    ok(e);
    assertEquals(TimestampSource.RFC3161, e.timestampSource());
    assertTrue(e.keyId().startsWith("sha256:"));
  }

  @Test
  void publicKeyBundleWithOtherKeyIsWrongKey() throws Exception {
    TrustPolicy p = TrustPolicy.ofKeys("managed", List.of(TrustedKey.of("other",
        PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/cosign.pub")))),
        TrustedRoot.fromJson(Fixtures.path(SG + "trusted-roots/public-key-validity.json")));
    assertEquals(Reason.WRONG_KEY, verify(SG + "bundles/public-key-validity.sigstore.json", null, p).reason());
  }

  // --- cosign ---

  @Test
  void cosignAttestationBundleVerifies() throws Exception {
    VerificationEntry e = verify("sigstore-bundles/cosign/oci-attestation.sigstore.json", null,
        keyless("sigstore-bundles/cosign/trusted_root_pgi.json", "cody@soyland.com", "https://github.com/login/oauth"));
    ok(e);
    assertEquals("https://cosign.sigstore.dev/attestation/v1", e.predicateType());
  }

  // --- slsa-verifier bundles ---

  static final String SV = "attestations/slsa-verifier/";
  static final String DELEGATOR =
      "https://github.com/laurentsimon/slsa-delegator/.github/workflows/delegator_generic_slsa3.yml@refs/heads/main";

  @Test
  void slsaVerifierValidBundlesVerify() throws Exception {
    ok(verify(SV + "bundle/valid.intoto.sigstore", null, keyless(PUBLIC_GOOD,
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_docker-based_slsa3.yml@refs/heads/main",
        GITHUB)));
    ok(verify(SV + "bundle/valid-v0.3.intoto.sigstore", null, keyless(PUBLIC_GOOD,
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/main",
        GITHUB)));
  }

  @Test
  void slsaVerifierNegativeBundlesFail() throws Exception {
    TrustPolicy p = keyless(PUBLIC_GOOD, DELEGATOR, GITHUB);
    // The signature's base64 differs only in padding bits: the same bytes, but not what was logged or signed.
    assertEquals(Reason.MALFORMED, verify(SV + "bundle/invalid-dsse-sig.intoto.sigstore", null, p).reason());
    assertEquals(Reason.TLOG_INVALID, verify(SV + "bundle/invalid-set.intoto.sigstore", null, p).reason());
    assertEquals(Reason.TLOG_INVALID, verify(SV + "bundle/mismatch-tlog.intoto.sigstore", null, p).reason());
  }

  static final String BCR = "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1";

  @Test
  void bazelCentralRegistryProvenanceVerifiesForItsSubject() throws Exception {
    VerificationEntry e = verify(SV + "bcr/MODULE.bazel.intoto.jsonl", SV + "bcr/MODULE.bazel",
        keyless(PUBLIC_GOOD, BCR, GITHUB));
    ok(e);
    assertEquals("https://slsa.dev/provenance/v1", e.predicateType());
  }

  @Test
  void bazelProvenanceForAnotherFileIsDigestMismatch() throws Exception {
    assertEquals(Reason.DIGEST_MISMATCH, verify(SV + "bcr/MODULE.bazel.intoto.jsonl", SV + "annotated-tag",
        keyless(PUBLIC_GOOD, BCR, GITHUB)).reason());
  }

  @Test
  void wrongSignerIsCryptographicallyValidButIdentityMismatch() throws Exception {
    VerificationEntry e = verify(SV + "bcr/MODULE-wrong-signer.bazel.intoto.jsonl", SV + "bcr/MODULE-wrong-signer.bazel",
        keyless(PUBLIC_GOOD, BCR, GITHUB));
    assertFalse(e.verified());
    assertEquals(Reason.IDENTITY_MISMATCH, e.reason());
  }

  @Test
  void garbageNeverThrows() throws Exception {
    TrustPolicy p = keyless(PUBLIC_GOOD, BCR, GITHUB);
    for (String junk : List.of("", "{}", "[]", "null", "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}",
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"AAAA\"}},\"messageSignature\":{}}",
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{}},\"dsseEnvelope\":{\"payload\":1}}")) {
      VerificationEntry e = SigstoreBundleVerifier.verify(junk.getBytes(), ArtifactExpectation.none(), p, null, 1 << 20);
      assertFalse(e.verified(), junk);
    }
    assertEquals(Reason.TOO_LARGE, SigstoreBundleVerifier.verify(new byte[100], ArtifactExpectation.none(), p, null, 10).reason());
  }
}
