package io.portcullis.attest.report;

/** The evidence format of one report entry. */
public enum Scheme {
  /** cosign "simple signing" payload in a {@code .sig} layer or an OCI 1.1 cosign signature artifact. */
  COSIGN_SIMPLE_SIGNING,
  /** DSSE envelope (cosign {@code .att} layer or a bare envelope). */
  DSSE,
  /** Sigstore bundle v0.1 to v0.3 (message signature or DSSE). */
  SIGSTORE_BUNDLE
}
