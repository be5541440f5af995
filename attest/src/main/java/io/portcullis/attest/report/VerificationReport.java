package io.portcullis.attest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything found for one subject digest and how each piece verified. Built by the
 * {@code SubjectVerifier}; consumed by the gateway's admission input ({@code signatures},
 * {@code attestations}) and printed by {@code portcullis verify}.
 */
public record VerificationReport(
    String subjectDigest, List<VerificationEntry> signatures, List<VerificationEntry> attestations) {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  public VerificationReport {
    signatures = List.copyOf(signatures);
    attestations = List.copyOf(attestations);
  }

  /** Sorts entries into signatures and attestations by their kind. */
  public static VerificationReport of(String subjectDigest, List<VerificationEntry> entries) {
    List<VerificationEntry> sigs = new ArrayList<>();
    List<VerificationEntry> atts = new ArrayList<>();
    for (VerificationEntry e : entries) {
      (e.kind() == EvidenceKind.ATTESTATION ? atts : sigs).add(e);
    }
    return new VerificationReport(subjectDigest, sigs, atts);
  }

  /** True when at least one signature (not attestation) verified. */
  public boolean hasVerifiedSignature() {
    return signatures.stream().anyMatch(VerificationEntry::verified);
  }

  /** True when at least one entry of either kind verified. */
  public boolean hasVerifiedEvidence() {
    return hasVerifiedSignature() || attestations.stream().anyMatch(VerificationEntry::verified);
  }

  /**
   * The {@code signatures} and {@code attestations} arrays of the policy input document (version 1):
   * each entry has {@code verified}, {@code reason}, {@code keyId}, {@code identity}, {@code issuer},
   * {@code scheme}, {@code digest} (the signature artifact), and where known {@code predicateType},
   * {@code dockerReference}, {@code timestampSource}, {@code signedAt}, {@code policy}. Absent values are
   * left out.
   */
  public Map<String, Object> toPolicyInput() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("signatures", signatures.stream().map(VerificationReport::policyEntry).toList());
    out.put("attestations", attestations.stream().map(VerificationReport::policyEntry).toList());
    return out;
  }

  private static Map<String, Object> policyEntry(VerificationEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verified", e.verified());
    putIfPresent(m, "reason", e.reason() == null ? null : e.reason().name());
    putIfPresent(m, "keyId", e.keyId());
    putIfPresent(m, "identity", e.identity());
    putIfPresent(m, "issuer", e.issuer());
    m.put("scheme", e.scheme().name());
    putIfPresent(m, "digest", e.artifactDigest());
    putIfPresent(m, "predicateType", e.predicateType());
    putIfPresent(m, "dockerReference", e.dockerReference());
    m.put("timestampSource", e.timestampSource().name());
    putIfPresent(m, "signedAt", e.signedAt());
    putIfPresent(m, "policy", e.policy());
    return m;
  }

  private static void putIfPresent(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("report is always serialisable", e);
    }
  }
}
