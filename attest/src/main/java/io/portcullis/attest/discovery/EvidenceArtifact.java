package io.portcullis.attest.discovery;

/**
 * A signature or attestation artifact found for a subject.
 *
 * @param digest digest of its manifest
 * @param manifest the manifest bytes
 * @param origin how it was found
 */
public record EvidenceArtifact(String digest, byte[] manifest, Origin origin) {
  /** The discovery path. */
  public enum Origin {
    /** cosign tag {@code sha256-<hex>.sig}. */
    SIGNATURE_TAG,
    /** cosign tag {@code sha256-<hex>.att}. */
    ATTESTATION_TAG,
    /** OCI 1.1 referrers API. */
    REFERRER
  }
}
