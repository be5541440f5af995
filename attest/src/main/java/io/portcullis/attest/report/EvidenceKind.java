package io.portcullis.attest.report;

/** Whether an entry is a plain signature over the subject or an attestation (in-toto statement) about it. */
public enum EvidenceKind {
  SIGNATURE,
  ATTESTATION
}
