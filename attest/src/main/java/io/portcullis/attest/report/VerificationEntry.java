package io.portcullis.attest.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The outcome for one piece of evidence (one signature layer, one bundle, one envelope).
 *
 * @param kind signature or attestation
 * @param scheme evidence format
 * @param verified true only when every required check passed
 * @param reason why it did not verify; null when verified
 * @param detail human-readable explanation (never matched on by code)
 * @param artifactDigest digest of the signature artifact (manifest or blob) that carried the evidence
 * @param policy name of the trust policy that verified it (or the last one tried)
 * @param keyId id of the trusted key that verified it (key-based)
 * @param identity certificate SAN (keyless)
 * @param issuer OIDC issuer from the Fulcio extension (keyless)
 * @param dockerReference {@code critical.identity.docker-reference} of a simple-signing payload
 * @param predicateType in-toto predicate type (attestations)
 * @param timestampSource where the trusted signing time came from
 * @param signedAt the trusted signing time (ISO-8601), if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationEntry(
    EvidenceKind kind,
    Scheme scheme,
    boolean verified,
    Reason reason,
    String detail,
    String artifactDigest,
    String policy,
    String keyId,
    String identity,
    String issuer,
    String dockerReference,
    String predicateType,
    TimestampSource timestampSource,
    String signedAt) {

  public static Builder builder(EvidenceKind kind, Scheme scheme) {
    return new Builder(kind, scheme);
  }

  public Builder toBuilder() {
    Builder b = new Builder(kind, scheme);
    b.verified = verified;
    b.reason = reason;
    b.detail = detail;
    b.artifactDigest = artifactDigest;
    b.policy = policy;
    b.keyId = keyId;
    b.identity = identity;
    b.issuer = issuer;
    b.dockerReference = dockerReference;
    b.predicateType = predicateType;
    b.timestampSource = timestampSource;
    b.signedAt = signedAt;
    return b;
  }

  /** Collects the fields while a verifier works through its checks. */
  public static final class Builder {
    private EvidenceKind kind;
    private final Scheme scheme;
    private boolean verified;
    private Reason reason;
    private String detail;
    private String artifactDigest;
    private String policy;
    private String keyId;
    private String identity;
    private String issuer;
    private String dockerReference;
    private String predicateType;
    private TimestampSource timestampSource = TimestampSource.NONE;
    private String signedAt;

    private Builder(EvidenceKind kind, Scheme scheme) {
      this.kind = kind;
      this.scheme = scheme;
    }

    public Builder kind(EvidenceKind v) { kind = v; return this; }
    public Builder artifactDigest(String v) { artifactDigest = v; return this; }
    public Builder policy(String v) { policy = v; return this; }
    public Builder keyId(String v) { keyId = v; return this; }
    public Builder identity(String v) { identity = v; return this; }
    public Builder issuer(String v) { issuer = v; return this; }
    public Builder dockerReference(String v) { dockerReference = v; return this; }
    public Builder predicateType(String v) { predicateType = v; return this; }
    public Builder detail(String v) { detail = v; return this; }

    public Builder timestamp(TimestampSource source, Instant at) {
      timestampSource = source;
      signedAt = at == null ? null : at.toString();
      return this;
    }

    /** Ends the checks with a failure. */
    public VerificationEntry fail(Reason why, String text) {
      verified = false;
      reason = why;
      detail = text;
      return build();
    }

    /** Ends the checks with success. */
    public VerificationEntry ok(String text) {
      verified = true;
      reason = null;
      detail = text;
      return build();
    }

    public VerificationEntry build() {
      return new VerificationEntry(kind, scheme, verified, reason, detail, artifactDigest, policy, keyId,
          identity, issuer, dockerReference, predicateType, timestampSource, signedAt);
    }
  }
}
