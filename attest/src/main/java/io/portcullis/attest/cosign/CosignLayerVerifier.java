package io.portcullis.attest.cosign;

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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Verifies one layer of a cosign {@code .sig} (simple signing) or {@code .att} (DSSE) manifest for a
 * subject digest: the signature annotation over the exact layer bytes (or the DSSE PAE), the signer
 * (trusted key, or Fulcio certificate + Rekor SET + identity), and that the signed payload names the
 * subject ({@code docker-manifest-digest}, or an in-toto subject digest).
 */
public final class CosignLayerVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosignLayerVerifier() {}

  public static VerificationEntry verify(SignatureLayer layer, String subjectDigest, TrustPolicy policy,
      long maxPayloadBytes) {
    boolean dsse = SignatureLayer.DSSE_MEDIA_TYPE.equals(layer.mediaType());
    VerificationEntry.Builder out = VerificationEntry.builder(
        dsse ? EvidenceKind.ATTESTATION : EvidenceKind.SIGNATURE,
        dsse ? Scheme.DSSE : Scheme.COSIGN_SIMPLE_SIGNING).artifactDigest(layer.artifactDigest()).policy(policy.name());
    try {
      if (!dsse && !SimpleSigningPayload.MEDIA_TYPE.equals(layer.mediaType())) {
        return out.fail(Reason.NOT_A_SIGNATURE, "layer media type " + layer.mediaType() + " is not a signature");
      }
      if (layer.payload().length > maxPayloadBytes) {
        return out.fail(Reason.TOO_LARGE, "payload of " + layer.payload().length + " bytes exceeds " + maxPayloadBytes);
      }
      return dsse ? verifyDsse(layer, subjectDigest, policy, out) : verifySimpleSigning(layer, subjectDigest, policy, out);
    } catch (RuntimeException e) {
      return out.fail(Reason.MALFORMED, "unreadable evidence: " + e.getMessage());
    }
  }

  private static VerificationEntry verifySimpleSigning(SignatureLayer layer, String subjectDigest, TrustPolicy policy,
      VerificationEntry.Builder out) {
    SimpleSigningPayload payload;
    try {
      payload = SimpleSigningPayload.parse(layer.payload());
    } catch (IllegalArgumentException e) {
      return out.fail(Reason.MALFORMED, e.getMessage());
    }
    out.dockerReference(payload.dockerReference());
    String sigB64 = layer.annotations().get(SignatureLayer.SIGNATURE_ANNOTATION);
    if (sigB64 == null) {
      return out.fail(Reason.MALFORMED, "layer has no " + SignatureLayer.SIGNATURE_ANNOTATION + " annotation");
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(sigB64.trim());
    } catch (IllegalArgumentException e) {
      return out.fail(Reason.MALFORMED, "signature annotation is not base64");
    }
    byte[] data = layer.payload();
    Map<String, String> digests = digestsOf(data);
    Evidence evidence;
    try {
      evidence = evidence(layer, k -> SignatureVerifier.verify(k, data, sig), sig,
          k -> new LogEntryBinding(digests, sig, k, null, null));
    } catch (java.io.IOException e) {
      return out.fail(Reason.MALFORMED, e.getMessage());
    }
    Check signer = SignerVerifier.verify(evidence, policy, out);
    if (!signer.passed()) {
      return out.fail(signer.reason(), signer.detail());
    }
    if (!payload.manifestDigest().equals(subjectDigest)) {
      return out.fail(Reason.DIGEST_MISMATCH, "payload signs " + payload.manifestDigest() + ", not " + subjectDigest);
    }
    return out.ok("simple-signing signature verified");
  }

  private static VerificationEntry verifyDsse(SignatureLayer layer, String subjectDigest, TrustPolicy policy,
      VerificationEntry.Builder out) {
    DsseEnvelope env;
    try {
      env = DsseEnvelope.fromJson(JSON.readTree(layer.payload()));
    } catch (Exception e) {
      return out.fail(Reason.MALFORMED, "layer is not a DSSE envelope");
    }
    InTotoStatement statement = null;
    if (InTotoStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
      try {
        statement = InTotoStatement.parse(env.payload());
        out.predicateType(statement.predicateType());
      } catch (IllegalArgumentException e) {
        return out.fail(Reason.MALFORMED, e.getMessage());
      }
    }
    byte[] pae = env.pae();
    String paeSha = digestsOf(pae).get("sha256");
    String payloadSha = digestsOf(env.payload()).get("sha256");
    Check last = Check.fail(Reason.MALFORMED, "no signatures");
    for (DsseEnvelope.Signature s : env.signatures()) {
      Evidence evidence;
      try {
        evidence = evidence(layer, k -> SignatureVerifier.verify(k, pae, s.sig()), s.sig(),
            k -> new LogEntryBinding(Map.of("sha256", paeSha), s.sig(), k, null, payloadSha));
      } catch (java.io.IOException e) {
        return out.fail(Reason.MALFORMED, e.getMessage());
      }
      last = SignerVerifier.verify(evidence, policy, out);
      if (last.passed()) {
        break;
      }
    }
    if (!last.passed()) {
      return out.fail(last.reason(), last.detail());
    }
    String hex = subjectDigest.substring(subjectDigest.indexOf(':') + 1);
    if (statement == null || !statement.hasSubjectSha256(hex)) {
      return out.fail(Reason.DIGEST_MISMATCH, "attestation subjects do not include " + subjectDigest);
    }
    return out.ok("DSSE attestation verified");
  }

  private static Evidence evidence(SignatureLayer layer, Predicate<PublicKey> check, byte[] sig,
      Function<PublicKey, LogEntryBinding> binding) throws java.io.IOException {
    String certPem = layer.annotations().get(SignatureLayer.CERTIFICATE_ANNOTATION);
    X509Certificate cert = null;
    List<X509Certificate> chain = new ArrayList<>();
    if (certPem != null && !certPem.isBlank()) {
      List<X509Certificate> certs = PublicKeyReader.certificatesFromPem(certPem);
      if (certs.isEmpty()) {
        throw new java.io.IOException("certificate annotation holds no certificate");
      }
      cert = certs.get(0);
      String chainPem = layer.annotations().get(SignatureLayer.CHAIN_ANNOTATION);
      if (chainPem != null) {
        chain.addAll(PublicKeyReader.certificatesFromPem(chainPem));
      }
    }
    return new Evidence(check, sig, cert, chain, layer.annotations().get(SignatureLayer.BUNDLE_ANNOTATION),
        List.of(), List.of(), binding);
  }

  /** SHA-256/384/512 of the bytes, hex, keyed by Rekor's algorithm names. */
  static Map<String, String> digestsOf(byte[] data) {
    try {
      return Map.of(
          "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
          "sha384", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(data)),
          "sha512", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
