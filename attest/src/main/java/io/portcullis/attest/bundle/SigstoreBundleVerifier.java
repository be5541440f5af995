package io.portcullis.attest.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.dsse.DsseEnvelope;
import io.portcullis.attest.dsse.InTotoStatement;
import io.portcullis.attest.report.EvidenceKind;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.Scheme;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.verify.Check;
import io.portcullis.attest.verify.Evidence;
import io.portcullis.attest.verify.LogEntryBinding;
import io.portcullis.attest.verify.SignatureVerifier;
import io.portcullis.attest.verify.SignerVerifier;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Verifies a Sigstore bundle (v0.1, v0.2, v0.3; message signature or DSSE), keyless (Fulcio
 * certificate) or key-based (public-key hint; sigstore-java refuses these, so the pipeline is ours),
 * entirely offline. Order: bundle form, subject digest, signature, log entries, timestamps, chain,
 * identity.
 */
public final class SigstoreBundleVerifier {
  public static final String MEDIA_TYPE_V01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";
  public static final String MEDIA_TYPE_V02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";
  public static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle+json;version=0.3";
  public static final String MEDIA_TYPE_V03_NEW = "application/vnd.dev.sigstore.bundle.v0.3+json";
  public static final Set<String> MEDIA_TYPES = Set.of(MEDIA_TYPE_V01, MEDIA_TYPE_V02, MEDIA_TYPE_V03, MEDIA_TYPE_V03_NEW);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SigstoreBundleVerifier() {}

  /**
   * @param bundle the bundle JSON
   * @param expected the artifact (or subject digest) the bundle must be about
   * @param artifactDigest digest of the registry artifact that carried the bundle, for the report
   */
  public static VerificationEntry verify(byte[] bundle, ArtifactExpectation expected, TrustPolicy policy,
      String artifactDigest, long maxBytes) {
    VerificationEntry.Builder out = VerificationEntry.builder(EvidenceKind.SIGNATURE, Scheme.SIGSTORE_BUNDLE)
        .artifactDigest(artifactDigest).policy(policy.name());
    if (bundle.length > maxBytes) {
      return out.fail(Reason.TOO_LARGE, "bundle of " + bundle.length + " bytes exceeds " + maxBytes);
    }
    try {
      return verifyParsed(JSON.readTree(bundle), expected, policy, out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return out.fail(Reason.MALFORMED, "bundle is not JSON");
    } catch (RuntimeException | java.io.IOException e) {
      return out.fail(Reason.MALFORMED, "unreadable bundle: " + e.getMessage());
    }
  }

  private static VerificationEntry verifyParsed(JsonNode b, ArtifactExpectation expected, TrustPolicy policy,
      VerificationEntry.Builder out) throws java.io.IOException {
    String mediaType = b.path("mediaType").asText("");
    if (!MEDIA_TYPES.contains(mediaType)) {
      return out.fail(Reason.MALFORMED, "unsupported bundle media type " + mediaType);
    }
    boolean v01 = mediaType.equals(MEDIA_TYPE_V01);
    JsonNode vm = b.path("verificationMaterial");

    X509Certificate leaf = null;
    List<X509Certificate> chain = new ArrayList<>();
    if (vm.has("x509CertificateChain")) {
      for (JsonNode c : vm.path("x509CertificateChain").path("certificates")) {
        X509Certificate cert = PublicKeyReader.certificateFromDer(b64(c.path("rawBytes").asText("")));
        if (leaf == null) {
          leaf = cert;
        } else {
          chain.add(cert);
        }
      }
      if (leaf == null) {
        return out.fail(Reason.MALFORMED, "empty certificate chain");
      }
    } else if (vm.has("certificate")) {
      leaf = PublicKeyReader.certificateFromDer(b64(vm.path("certificate").path("rawBytes").asText("")));
    } else if (!vm.has("publicKey")) {
      return out.fail(Reason.MALFORMED, "bundle has no certificate and no public key");
    }

    List<JsonNode> entries = new ArrayList<>();
    for (JsonNode e : vm.path("tlogEntries")) {
      if (v01 ? !e.path("inclusionPromise").isObject() : !e.path("inclusionProof").isObject()) {
        return out.fail(Reason.TLOG_INVALID, v01 ? "v0.1 bundle entry without inclusion promise"
            : "bundle entry without inclusion proof (required since v0.2)");
      }
      entries.add(e);
    }
    List<byte[]> timestamps = new ArrayList<>();
    for (JsonNode t : vm.path("timestampVerificationData").path("rfc3161Timestamps")) {
      timestamps.add(b64(t.path("signedTimestamp").asText("")));
    }

    if (b.has("dsseEnvelope")) {
      return verifyDsse(b.path("dsseEnvelope"), leaf, chain, entries, timestamps, expected, policy, out);
    }
    if (b.has("messageSignature")) {
      return verifyMessage(b.path("messageSignature"), leaf, chain, entries, timestamps, expected, policy, out);
    }
    return out.fail(Reason.MALFORMED, "bundle has neither messageSignature nor dsseEnvelope");
  }

  private static VerificationEntry verifyMessage(JsonNode ms, X509Certificate leaf, List<X509Certificate> chain,
      List<JsonNode> entries, List<byte[]> timestamps, ArtifactExpectation expected, TrustPolicy policy,
      VerificationEntry.Builder out) {
    byte[] sig = b64(ms.path("signature").asText(""));
    String alg = switch (ms.path("messageDigest").path("algorithm").asText("SHA2_256")) {
      case "SHA2_256" -> "SHA-256";
      case "SHA2_384" -> "SHA-384";
      case "SHA2_512" -> "SHA-512";
      default -> null;
    };
    if (alg == null) {
      return out.fail(Reason.UNSUPPORTED, "unsupported message digest algorithm");
    }
    byte[] bundleDigest = ms.path("messageDigest").has("digest") ? b64(ms.path("messageDigest").path("digest").asText()) : null;
    byte[] digest;
    if (expected.content() != null) {
      digest = hash(alg, expected.content());
      if (bundleDigest != null && !MessageDigest.isEqual(digest, bundleDigest)) {
        return out.fail(Reason.DIGEST_MISMATCH, "artifact digest differs from the bundle's message digest");
      }
    } else if (expected.sha256Hex() != null) {
      if (!alg.equals("SHA-256") || bundleDigest == null
          || !HexFormat.of().formatHex(bundleDigest).equalsIgnoreCase(expected.sha256Hex())) {
        return out.fail(Reason.DIGEST_MISMATCH, "bundle message digest is not sha256:" + expected.sha256Hex());
      }
      digest = bundleDigest;
    } else if (bundleDigest != null) {
      digest = bundleDigest;
    } else {
      return out.fail(Reason.MALFORMED, "message signature without digest and no artifact to check");
    }
    byte[] content = expected.content();
    Predicate<PublicKey> check = content != null
        ? k -> SignatureVerifier.verify(k, content, sig)
        : k -> SignatureVerifier.verifyDigest(k, alg, digest, sig);
    String rekorAlg = alg.replace("SHA-", "sha");
    Map<String, String> digests = Map.of(rekorAlg, HexFormat.of().formatHex(digest));
    Evidence ev = new Evidence(check, sig, leaf, chain, null, entries, timestamps,
        k -> new LogEntryBinding(digests, sig, k, leaf, null, null));
    Check signer = SignerVerifier.verify(ev, policy, out);
    if (!signer.passed()) {
      return out.fail(signer.reason(), signer.detail());
    }
    return out.ok("bundle message signature verified");
  }

  private static VerificationEntry verifyDsse(JsonNode envNode, X509Certificate leaf, List<X509Certificate> chain,
      List<JsonNode> entries, List<byte[]> timestamps, ArtifactExpectation expected, TrustPolicy policy,
      VerificationEntry.Builder out) {
    out.kind(EvidenceKind.ATTESTATION);
    DsseEnvelope env;
    try {
      env = DsseEnvelope.fromJson(envNode);
    } catch (IllegalArgumentException e) {
      return out.fail(Reason.MALFORMED, e.getMessage());
    }
    InTotoStatement statement = null;
    if (InTotoStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
      try {
        statement = InTotoStatement.parse(env.payload());
        out.predicateType(statement.predicateType()).kind(statement.kind());
      } catch (IllegalArgumentException e) {
        return out.fail(Reason.MALFORMED, e.getMessage());
      }
    }
    if (expected.checksSubject() && (statement == null || !statement.hasSubject(expected.subjectDigests()))) {
      return out.fail(Reason.DIGEST_MISMATCH, "statement subjects do not include sha256:" + expected.sha256Hex());
    }
    byte[] pae = env.pae();
    Map<String, String> digests = Map.of("sha256", HexFormat.of().formatHex(hash("SHA-256", pae)));
    String payloadSha = HexFormat.of().formatHex(hash("SHA-256", env.payload()));
    Check last = Check.fail(Reason.MALFORMED, "no signatures");
    for (DsseEnvelope.Signature s : env.signatures()) {
      Evidence ev = new Evidence(k -> SignatureVerifier.verify(k, pae, s.sig()), s.sig(), leaf, chain, null, entries,
          timestamps, k -> new LogEntryBinding(digests, s.sig(), k, leaf, payloadSha, null));
      last = SignerVerifier.verify(ev, policy, out);
      if (last.passed()) {
        return out.ok("bundle DSSE envelope verified");
      }
    }
    return out.fail(last.reason(), last.detail());
  }

  private static byte[] b64(String s) {
    return Base64.getDecoder().decode(s.trim());
  }

  private static byte[] hash(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
