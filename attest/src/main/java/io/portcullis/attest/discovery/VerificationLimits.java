package io.portcullis.attest.discovery;

/**
 * Bounds on what one subject may make the verifier do.
 *
 * @param maxArtifacts signature/attestation artifacts considered per subject (default 64); the rest
 *     become one {@code LIMIT_EXCEEDED} entry
 * @param maxLayersPerArtifact layers considered per artifact manifest
 * @param maxPayloadBytes largest signature payload, envelope or bundle read (default 1 MiB)
 * @param maxManifestBytes largest artifact manifest read (default 4 MiB)
 */
public record VerificationLimits(int maxArtifacts, int maxLayersPerArtifact, long maxPayloadBytes, long maxManifestBytes) {
  public static final VerificationLimits DEFAULT = new VerificationLimits(64, 64, 1 << 20, 4 << 20);
}
