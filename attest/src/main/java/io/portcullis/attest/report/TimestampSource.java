package io.portcullis.attest.report;

/** Where the trusted signing time of an entry came from. */
public enum TimestampSource {
  /** No trusted time: key-based evidence without a log entry or timestamp. */
  NONE,
  /** Integrated time of a transparency-log entry whose signed entry timestamp (SET) verified. */
  TLOG_SET,
  /** Integrated time of a transparency-log entry verified by inclusion proof and signed checkpoint. */
  TLOG_INCLUSION_PROOF,
  /** An RFC 3161 timestamp from a trusted timestamp authority. */
  RFC3161
}
