package io.portcullis.attest.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.trust.PublicKeyReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks that a verified log entry is about this very evidence: same digest, same signature, same
 * key or certificate. Supports Rekor kinds hashedrekord 0.0.1/0.0.2, dsse 0.0.1 and intoto 0.0.1/0.0.2.
 *
 * @param digestsHex digests of the signed bytes by Rekor algorithm name ({@code sha256} ...); for
 *     DSSE the digest of the PAE encoding (what Rekor v2 hashedrekord logs)
 * @param signature the raw signature bytes
 * @param key the key that verified the signature
 * @param certificate the signing certificate, or null for key-based evidence
 * @param dssePayloadSha256Hex for DSSE evidence, SHA-256 of the envelope payload; null otherwise
 * @param dsseEnvelopeSha256Hex for DSSE evidence stored as bytes (a cosign {@code .att} layer), SHA-256
 *     of those bytes (what Rekor intoto 0.0.1 entries may log instead of a payload hash); else null
 */
public record LogEntryBinding(Map<String, String> digestsHex, byte[] signature, PublicKey key,
    X509Certificate certificate, String dssePayloadSha256Hex, String dsseEnvelopeSha256Hex) {

  public Check check(JsonNode body) {
    String kind = body.path("kind").asText("");
    String version = body.path("apiVersion").asText("");
    JsonNode spec = body.path("spec");
    try {
      return switch (kind + "/" + version) {
        case "hashedrekord/0.0.1", "rekord/0.0.1" -> hashedRekordV1(spec);
        case "hashedrekord/0.0.2" -> hashedRekordV2(spec.path("hashedRekordV002"));
        case "dsse/0.0.1" -> dsseV1(spec);
        case "intoto/0.0.1", "intoto/0.0.2" -> intoto(spec.path("content"));
        default -> Check.fail(Reason.TLOG_INVALID, "unsupported log entry kind " + kind + " " + version);
      };
    } catch (RuntimeException e) {
      return Check.fail(Reason.TLOG_INVALID, "unreadable log entry body: " + e.getMessage());
    }
  }

  private Check hashedRekordV1(JsonNode spec) {
    String alg = spec.path("data").path("hash").path("algorithm").asText("");
    String value = spec.path("data").path("hash").path("value").asText("");
    if (!value.equalsIgnoreCase(digestsHex.getOrDefault(alg, ""))) {
      return Check.fail(Reason.TLOG_INVALID, "log entry digest differs from the signed content");
    }
    if (!sameSignature(spec.path("signature").path("content").asText(""))) {
      return Check.fail(Reason.TLOG_INVALID, "log entry signature differs from the evidence");
    }
    return sameVerifierPem(spec.path("signature").path("publicKey").path("content").asText(""));
  }

  private Check hashedRekordV2(JsonNode spec) {
    String alg = spec.path("data").path("algorithm").asText("");
    String rekorAlg = switch (alg) {
      case "SHA2_256" -> "sha256";
      case "SHA2_384" -> "sha384";
      case "SHA2_512" -> "sha512";
      default -> alg;
    };
    byte[] logged = Base64.getDecoder().decode(spec.path("data").path("digest").asText(""));
    if (!HexFormat.of().formatHex(logged).equalsIgnoreCase(digestsHex.getOrDefault(rekorAlg, ""))) {
      return Check.fail(Reason.TLOG_INVALID, "log entry digest differs from the signed content");
    }
    if (!sameSignature(spec.path("signature").path("content").asText(""))) {
      return Check.fail(Reason.TLOG_INVALID, "log entry signature differs from the evidence");
    }
    JsonNode verifier = spec.path("signature").path("verifier");
    if (verifier.has("x509Certificate")) {
      byte[] der = Base64.getDecoder().decode(verifier.path("x509Certificate").path("rawBytes").asText(""));
      return sameCertificateDer(der);
    }
    byte[] spki = Base64.getDecoder().decode(verifier.path("publicKey").path("rawBytes").asText(""));
    return Arrays.equals(spki, key.getEncoded()) ? Check.OK
        : Check.fail(Reason.TLOG_INVALID, "log entry key differs from the signing key");
  }

  private Check dsseV1(JsonNode spec) {
    if (dssePayloadSha256Hex == null) {
      return Check.fail(Reason.TLOG_INVALID, "dsse log entry for non-DSSE evidence");
    }
    if (!spec.path("payloadHash").path("value").asText("").equalsIgnoreCase(dssePayloadSha256Hex)) {
      return Check.fail(Reason.TLOG_INVALID, "log entry payload hash differs from the envelope payload");
    }
    for (JsonNode s : spec.path("signatures")) {
      if (sameSignature(s.path("signature").asText("")) && sameVerifierPem(s.path("verifier").asText("")).passed()) {
        return Check.OK;
      }
    }
    return Check.fail(Reason.TLOG_INVALID, "log entry signatures differ from the envelope");
  }

  private Check intoto(JsonNode content) {
    if (dssePayloadSha256Hex == null) {
      return Check.fail(Reason.TLOG_INVALID, "intoto log entry for non-DSSE evidence");
    }
    if (content.has("payloadHash")) {
      return content.path("payloadHash").path("value").asText("").equalsIgnoreCase(dssePayloadSha256Hex) ? Check.OK
          : Check.fail(Reason.TLOG_INVALID, "log entry payload hash differs from the envelope payload");
    }
    if (dsseEnvelopeSha256Hex != null
        && content.path("hash").path("value").asText("").equalsIgnoreCase(dsseEnvelopeSha256Hex)) {
      return Check.OK;
    }
    return Check.fail(Reason.TLOG_INVALID, "log entry hash differs from the envelope");
  }

  private boolean sameSignature(String b64) {
    try {
      return Arrays.equals(Base64.getDecoder().decode(b64), signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Check sameVerifierPem(String b64Pem) {
    String pem;
    try {
      pem = new String(Base64.getDecoder().decode(b64Pem), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Check.fail(Reason.TLOG_INVALID, "log entry verifier is not base64");
    }
    try {
      if (pem.contains("CERTIFICATE")) {
        List<X509Certificate> certs = PublicKeyReader.certificatesFromPem(pem);
        return certs.isEmpty() ? Check.fail(Reason.TLOG_INVALID, "no certificate in log entry")
            : sameCertificateDer(certs.get(0).getEncoded());
      }
      PublicKey logged = PublicKeyReader.fromPem(pem);
      return Arrays.equals(logged.getEncoded(), key.getEncoded()) ? Check.OK
          : Check.fail(Reason.TLOG_INVALID, "log entry key differs from the signing key");
    } catch (Exception e) {
      return Check.fail(Reason.TLOG_INVALID, "unreadable verifier in log entry");
    }
  }

  private Check sameCertificateDer(byte[] der) {
    try {
      if (certificate != null) {
        return Arrays.equals(der, certificate.getEncoded()) ? Check.OK
            : Check.fail(Reason.TLOG_INVALID, "log entry certificate differs from the signing certificate");
      }
      PublicKey logged = PublicKeyReader.certificateFromDer(der).getPublicKey();
      return Arrays.equals(logged.getEncoded(), key.getEncoded()) ? Check.OK
          : Check.fail(Reason.TLOG_INVALID, "log entry key differs from the signing key");
    } catch (Exception e) {
      return Check.fail(Reason.TLOG_INVALID, "unreadable certificate in log entry");
    }
  }
}
