package io.portcullis.attest.report;

/** Why a signature or attestation did not verify. Tests and policies match on these, never on detail text. */
public enum Reason {
  /** No trusted key verifies the signature (the signer's key is unknown or wrong). */
  WRONG_KEY,
  /** The signature does not verify against the certificate or key that the evidence itself names. */
  BAD_SIGNATURE,
  /** The signed payload names another subject (digest) than the one being verified. */
  DIGEST_MISMATCH,
  /** The signing certificate does not chain to a trusted root (or no CA was valid when it was issued). */
  UNTRUSTED_CHAIN,
  /** The certificate's identity (SAN) or OIDC issuer does not match the trust policy. */
  IDENTITY_MISMATCH,
  /** The signing time (from the log or a timestamp authority) lies outside the certificate's validity. */
  EXPIRED_AT_SIGNING_TIME,
  /** A transparency-log entry is invalid: bad SET, bad inclusion proof or checkpoint, or a body that does not match. */
  TLOG_INVALID,
  /** A transparency-log entry or trusted time was required but the evidence has none. */
  TLOG_MISSING,
  /** An RFC 3161 timestamp does not verify against the trusted timestamp authorities. */
  TIMESTAMP_INVALID,
  /** The evidence cannot be parsed (bad JSON, bad base64, unknown bundle version, missing fields). */
  MALFORMED,
  /** The evidence exceeds the configured size limit. */
  TOO_LARGE,
  /** The artifact is not a signature at all (for example a text/plain layer with a signature annotation). */
  NOT_A_SIGNATURE,
  /** More signature artifacts than the configured limit were attached; the rest were not considered. */
  LIMIT_EXCEEDED,
  /** The trust policy has nothing that could verify this kind of evidence (no keys, no identities or no root). */
  NO_TRUST_CONFIGURED,
  /** The evidence uses an algorithm or format this verifier does not support. */
  UNSUPPORTED,
  /** The evidence could not be fetched from the artifact source. */
  FETCH_FAILED
}
