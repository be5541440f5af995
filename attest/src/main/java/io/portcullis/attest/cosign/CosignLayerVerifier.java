package io.portcullis.attest.cosign;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.dsse.DsseVerifier;
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
      if (dsse) {
        return DsseVerifier.verify(layer.payload(), layer.annotations(), ArtifactExpectation.ofDigest(subjectDigest),
            policy, layer.artifactDigest(), maxPayloadBytes);
      }
      return verifySimpleSigning(layer, subjectDigest, policy, out);
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
    if (!SimpleSigningPayload.TYPE.equals(payload.type())) {
      return out.fail(Reason.MALFORMED, "payload critical.type is " + payload.type() + ", not " + SimpleSigningPayload.TYPE);
    }
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
          k -> new LogEntryBinding(digests, sig, k, null, null, null));
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
        List.of(), SignatureLayer.timestamps(layer.annotations()), binding);
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
