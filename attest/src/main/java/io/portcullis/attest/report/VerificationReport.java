package io.portcullis.attest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

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

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("report is always serialisable", e);
    }
  }
}
