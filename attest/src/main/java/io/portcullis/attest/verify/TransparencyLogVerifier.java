package io.portcullis.attest.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.TimestampSource;
import io.portcullis.attest.trust.TrustedRoot;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Verifies Rekor entries against the log keys of a trusted root: the signed entry timestamp (SET)
 * of cosign's {@code dev.sigstore.cosign/bundle} annotation, and the tlog entries of Sigstore
 * bundles (SET, RFC 6962 inclusion proof and signed checkpoint).
 */
public final class TransparencyLogVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Either a verified entry or why not. */
  public record Result(LoggedEntry entry, Check failure) {
    static Result of(LoggedEntry e) {
      return new Result(e, Check.OK);
    }

    static Result fail(Reason r, String detail) {
      return new Result(null, Check.fail(r, detail));
    }

    public boolean passed() {
      return entry != null;
    }
  }

  private TransparencyLogVerifier() {}

  /** Verifies cosign's legacy bundle annotation: {@code {"SignedEntryTimestamp", "Payload": {body, integratedTime, logIndex, logID}}}. */
  public static Result verifyCosignBundle(String annotation, TrustedRoot root) {
    JsonNode set;
    try {
      set = JSON.readTree(annotation);
    } catch (Exception e) {
      return Result.fail(Reason.MALFORMED, "unreadable rekor bundle annotation");
    }
    JsonNode p = set.path("Payload");
    if (!p.path("body").isTextual() || !p.path("integratedTime").canConvertToLong()
        || !p.path("logIndex").canConvertToLong() || !p.path("logID").isTextual()
        || !set.path("SignedEntryTimestamp").isTextual()) {
      return Result.fail(Reason.MALFORMED, "rekor bundle annotation lacks fields");
    }
    return verifySet(p.path("body").asText(), p.path("integratedTime").asLong(), p.path("logIndex").asLong(),
        p.path("logID").asText(), set.path("SignedEntryTimestamp").asText(), root);
  }

  /** Verifies one {@code verificationMaterial.tlogEntries[]} element of a Sigstore bundle. */
  public static Result verifyBundleEntry(JsonNode entry, TrustedRoot root) {
    String body = entry.path("canonicalizedBody").asText(null);
    String logIdB64 = entry.path("logId").path("keyId").asText(null);
    if (body == null || logIdB64 == null) {
      return Result.fail(Reason.MALFORMED, "tlog entry lacks body or log id");
    }
    long logIndex;
    long integrated;
    byte[] logId;
    try {
      logIndex = Long.parseLong(entry.path("logIndex").asText("-1"));
      integrated = Long.parseLong(entry.path("integratedTime").asText("0"));
      logId = Base64.getDecoder().decode(logIdB64);
    } catch (IllegalArgumentException e) {
      return Result.fail(Reason.MALFORMED, "tlog entry has unreadable numbers or log id");
    }
    if (logIndex < 0 || integrated < 0) {
      return Result.fail(Reason.TLOG_INVALID, "tlog entry has a negative log index or time");
    }
    Optional<TrustedRoot.LogKey> log = root.transparencyLog(logId);
    if (log.isEmpty()) {
      return Result.fail(Reason.TLOG_INVALID, "tlog entry from a log that is not in the trusted root");
    }
    Instant time = integrated > 0 ? Instant.ofEpochSecond(integrated) : null;
    if (time != null && !log.get().validAt(time)) {
      return Result.fail(Reason.TLOG_INVALID, "log key was not valid at integrated time " + time);
    }
    String set = entry.path("inclusionPromise").path("signedEntryTimestamp").isTextual()
        ? entry.path("inclusionPromise").path("signedEntryTimestamp").asText() : null;
    boolean hasProof = entry.path("inclusionProof").isObject();
    JsonNode decodedBody = decodeBody(body);
    if (decodedBody == null) {
      return Result.fail(Reason.MALFORMED, "tlog entry body is not base64 JSON");
    }
    if (hasProof) {
      Check proof = verifyInclusionProof(entry.path("inclusionProof"), body, log.get());
      if (!proof.passed()) {
        return new Result(null, proof);
      }
      if (set != null) {
        Result r = verifySet(body, integrated, logIndex, HexFormat.of().formatHex(logId), set, root);
        if (!r.passed()) {
          return r;
        }
      }
      TimestampSource src = set != null ? TimestampSource.TLOG_SET : TimestampSource.TLOG_INCLUSION_PROOF;
      return Result.of(new LoggedEntry(decodedBody, time, time == null ? TimestampSource.NONE : src, logIndex));
    }
    if (set != null) {
      return verifySet(body, integrated, logIndex, HexFormat.of().formatHex(logId), set, root);
    }
    return Result.fail(Reason.TLOG_INVALID, "tlog entry has neither a verifiable inclusion proof nor a SET");
  }

  private static Result verifySet(String body, long integratedTime, long logIndex, String logIdHex, String setB64,
      TrustedRoot root) {
    byte[] logId;
    byte[] sig;
    try {
      logId = HexFormat.of().parseHex(logIdHex);
      sig = Base64.getDecoder().decode(setB64);
    } catch (IllegalArgumentException e) {
      return Result.fail(Reason.MALFORMED, "unreadable log id or SET");
    }
    Optional<TrustedRoot.LogKey> log = root.transparencyLog(logId);
    if (log.isEmpty()) {
      return Result.fail(Reason.TLOG_INVALID, "SET from a log that is not trusted (log id " + logIdHex + ")");
    }
    Instant time = Instant.ofEpochSecond(integratedTime);
    if (!log.get().validAt(time)) {
      return Result.fail(Reason.TLOG_INVALID, "log key was not valid at integrated time " + time);
    }
    ObjectNode signed = JSON.createObjectNode();
    signed.put("body", body);
    signed.put("integratedTime", integratedTime);
    signed.put("logID", logIdHex);
    signed.put("logIndex", logIndex);
    byte[] canonical;
    try {
      canonical = JSON.writeValueAsBytes(signed);
    } catch (Exception e) {
      return Result.fail(Reason.MALFORMED, "cannot canonicalise SET payload");
    }
    if (!SignatureVerifier.verify(log.get().key(), canonical, sig)) {
      return Result.fail(Reason.TLOG_INVALID, "signed entry timestamp does not verify with the log key");
    }
    JsonNode decoded = decodeBody(body);
    if (decoded == null) {
      return Result.fail(Reason.MALFORMED, "log entry body is not base64 JSON");
    }
    return Result.of(new LoggedEntry(decoded, time, TimestampSource.TLOG_SET, logIndex));
  }

  /**
   * RFC 6962 inclusion of the entry's leaf in the tree the proof names, and a checkpoint (signed
   * note) for that tree root signed by the log: the signature line is chosen by the log's key hint
   * (first four bytes of its log id), so witness cosignatures are ignored.
   */
  private static Check verifyInclusionProof(JsonNode proof, String bodyB64, TrustedRoot.LogKey log) {
    try {
      long index = Long.parseLong(proof.path("logIndex").asText("-1"));
      long size = Long.parseLong(proof.path("treeSize").asText("-1"));
      byte[] rootHash = Base64.getDecoder().decode(proof.path("rootHash").asText(""));
      java.util.List<byte[]> hashes = new java.util.ArrayList<>();
      for (JsonNode h : proof.path("hashes")) {
        hashes.add(Base64.getDecoder().decode(h.asText()));
      }
      if (index < 0 || size <= index) {
        return Check.fail(Reason.TLOG_INVALID, "inclusion proof index outside the tree");
      }
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update((byte) 0);
      sha.update(Base64.getDecoder().decode(bodyB64));
      try {
        dev.sigstore.merkle.InclusionProofVerifier.verify(sha.digest(), index, size, hashes, rootHash);
      } catch (dev.sigstore.merkle.InclusionProofVerificationException e) {
        return Check.fail(Reason.TLOG_INVALID, "inclusion proof does not verify: " + e.getMessage());
      }
      String envelope = proof.path("checkpoint").path("envelope").asText(null);
      if (envelope == null) {
        return Check.fail(Reason.TLOG_INVALID, "inclusion proof without checkpoint");
      }
      var checkpoint = dev.sigstore.rekor.client.Checkpoints.from(envelope);
      if (!java.util.Arrays.equals(Base64.getDecoder().decode(checkpoint.getBase64Hash()), rootHash)) {
        return Check.fail(Reason.TLOG_INVALID, "checkpoint root hash differs from the inclusion proof's");
      }
      if (checkpoint.getSignatures().size() > 20) {
        return Check.fail(Reason.TLOG_INVALID, "checkpoint with too many signatures");
      }
      byte[] hint = java.util.Arrays.copyOf(log.logId(), 4);
      byte[] signed = checkpoint.getSignedData().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (var sig : checkpoint.getSignatures()) {
        if (java.util.Arrays.equals(sig.getKeyHint(), hint) && SignatureVerifier.verify(log.key(), signed, sig.getSignature())) {
          return Check.OK;
        }
      }
      return Check.fail(Reason.TLOG_INVALID, "checkpoint is not signed by the log");
    } catch (Exception e) {
      return Check.fail(Reason.TLOG_INVALID, "unreadable inclusion proof: " + e.getMessage());
    }
  }

  private static JsonNode decodeBody(String b64) {
    try {
      return JSON.readTree(Base64.getDecoder().decode(b64));
    } catch (Exception e) {
      return null;
    }
  }
}
