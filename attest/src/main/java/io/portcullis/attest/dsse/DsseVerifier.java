package io.portcullis.attest.dsse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.cosign.SignatureLayer;
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
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Verifies a bare DSSE envelope (a cosign {@code .att} layer, or an {@code .intoto.jsonl} line):
 * PAE signature by a trusted key, or by a certificate (from cosign's layer annotations or the
 * signature's own {@code cert} field) with a Rekor SET; then that the in-toto statement names the
 * subject. Reports the predicate type.
 */
public final class DsseVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DsseVerifier() {}

  /**
   * @param annotations cosign layer annotations (certificate, chain, bundle), may be empty
   */
  public static VerificationEntry verify(byte[] envelopeJson, Map<String, String> annotations,
      ArtifactExpectation expected, TrustPolicy policy, String artifactDigest, long maxBytes) {
    VerificationEntry.Builder out = VerificationEntry.builder(EvidenceKind.ATTESTATION, Scheme.DSSE)
        .artifactDigest(artifactDigest).policy(policy.name());
    if (envelopeJson.length > maxBytes) {
      return out.fail(Reason.TOO_LARGE, "envelope of " + envelopeJson.length + " bytes exceeds " + maxBytes);
    }
    try {
      return verifyEnvelope(envelopeJson, annotations, expected, policy, out);
    } catch (RuntimeException e) {
      return out.fail(Reason.MALFORMED, "unreadable envelope: " + e.getMessage());
    }
  }

  private static VerificationEntry verifyEnvelope(byte[] envelopeJson, Map<String, String> annotations,
      ArtifactExpectation expected, TrustPolicy policy, VerificationEntry.Builder out) {
    DsseEnvelope env;
    try {
      env = DsseEnvelope.fromJson(JSON.readTree(envelopeJson));
    } catch (Exception e) {
      return out.fail(Reason.MALFORMED, "not a DSSE envelope: " + e.getMessage());
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
    byte[] pae = env.pae();
    Map<String, String> digests = Map.of("sha256", sha256Hex(pae));
    String payloadSha = sha256Hex(env.payload());
    String envelopeSha = sha256Hex(envelopeJson);
    Check last = Check.fail(Reason.MALFORMED, "no signatures");
    for (DsseEnvelope.Signature s : env.signatures()) {
      X509Certificate cert = null;
      List<X509Certificate> chain = new ArrayList<>();
      try {
        String certPem = annotations.getOrDefault(SignatureLayer.CERTIFICATE_ANNOTATION, s.certificatePem());
        if (certPem != null && !certPem.isBlank()) {
          List<X509Certificate> certs = PublicKeyReader.certificatesFromPem(certPem);
          if (certs.isEmpty()) {
            return out.fail(Reason.MALFORMED, "certificate holds no certificate");
          }
          cert = certs.get(0);
          chain.addAll(certs.subList(1, certs.size()));
          String chainPem = annotations.get(SignatureLayer.CHAIN_ANNOTATION);
          if (chainPem != null) {
            chain.addAll(PublicKeyReader.certificatesFromPem(chainPem));
          }
        }
      } catch (java.io.IOException e) {
        return out.fail(Reason.MALFORMED, e.getMessage());
      }
      X509Certificate leaf = cert;
      Evidence ev = new Evidence(k -> SignatureVerifier.verify(k, pae, s.sig()), s.sig(), cert, chain,
          annotations.get(SignatureLayer.BUNDLE_ANNOTATION), List.of(), SignatureLayer.timestamps(annotations),
          k -> new LogEntryBinding(digests, s.sig(), k, leaf, payloadSha, envelopeSha));
      last = SignerVerifier.verify(ev, policy, out);
      if (last.passed()) {
        break;
      }
    }
    if (!last.passed()) {
      return out.fail(last.reason(), last.detail());
    }
    if (expected.checksSubject() && (statement == null || !statement.hasSubject(expected.subjectDigests()))) {
      return out.fail(Reason.DIGEST_MISMATCH, "attestation subjects do not include sha256:" + expected.sha256Hex());
    }
    return out.ok("DSSE attestation verified");
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
