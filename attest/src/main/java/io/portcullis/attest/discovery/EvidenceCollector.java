package io.portcullis.attest.discovery;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the evidence attached to a subject: cosign's tag scheme ({@code sha256-<hex>.sig} and
 * {@code .att} in the same repository) and OCI 1.1 referrers whose artifact type is a signature,
 * Sigstore bundle or DSSE/in-toto attestation. At most {@code maxArtifacts} are returned.
 */
public final class EvidenceCollector {
  public static final String COSIGN_SIGNATURE_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
  public static final Set<String> EVIDENCE_ARTIFACT_TYPES = Set.of(
      COSIGN_SIGNATURE_ARTIFACT,
      "application/vnd.dev.sigstore.bundle.v0.3+json",
      "application/vnd.dev.sigstore.bundle+json;version=0.1",
      "application/vnd.dev.sigstore.bundle+json;version=0.2",
      "application/vnd.dev.sigstore.bundle+json;version=0.3",
      "application/vnd.dsse.envelope.v1+json",
      "application/vnd.in-toto+json");

  /**
   * What was found, the digests of artifacts whose manifests exceed the size limit, and how many
   * further candidates were left out by the count limit.
   */
  public record Collected(List<EvidenceArtifact> artifacts, List<String> oversized, int leftOut) {}

  private EvidenceCollector() {}

  /** The cosign tag for a subject digest and suffix ({@code sig}, {@code att}). */
  public static String cosignTag(String subjectDigest, String suffix) {
    return subjectDigest.replace(':', '-') + "." + suffix;
  }

  public static Collected collect(ArtifactSource source, String repository, String subjectDigest,
      VerificationLimits limits) {
    List<EvidenceArtifact> found = new ArrayList<>();
    List<String> oversized = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int candidates = 0;
    for (var origin : List.of(EvidenceArtifact.Origin.SIGNATURE_TAG, EvidenceArtifact.Origin.ATTESTATION_TAG)) {
      String tag = cosignTag(subjectDigest, origin == EvidenceArtifact.Origin.SIGNATURE_TAG ? "sig" : "att");
      Optional<byte[]> m = safeManifest(source, repository, tag);
      if (m.isPresent() && m.get().length > limits.maxManifestBytes()) {
        oversized.add(tag);
      } else if (m.isPresent()) {
        String d = sha256(m.get());
        if (seen.add(d)) {
          candidates++;
          if (found.size() < limits.maxArtifacts()) {
            found.add(new EvidenceArtifact(d, m.get(), origin));
          }
        }
      }
    }
    List<ReferrerDescriptor> referrers;
    try {
      referrers = source.referrers(repository, subjectDigest);
    } catch (RuntimeException e) {
      referrers = List.of();
    }
    for (ReferrerDescriptor r : referrers) {
      if (!isEvidence(r) || !seen.add(r.digest())) {
        continue;
      }
      if (r.size() > limits.maxManifestBytes()) {
        oversized.add(r.digest());
        continue;
      }
      candidates++;
      if (found.size() >= limits.maxArtifacts()) {
        continue;
      }
      Optional<byte[]> m = safeManifest(source, repository, r.digest());
      if (m.isPresent() && m.get().length <= limits.maxManifestBytes() && sha256(m.get()).equals(r.digest())) {
        found.add(new EvidenceArtifact(r.digest(), m.get(), EvidenceArtifact.Origin.REFERRER));
      }
    }
    return new Collected(found, oversized, Math.max(0, candidates - found.size()));
  }

  static boolean isEvidence(ReferrerDescriptor r) {
    String type = r.artifactType() == null ? "" : r.artifactType();
    return EVIDENCE_ARTIFACT_TYPES.contains(type) || type.startsWith("application/vnd.dev.sigstore.bundle");
  }

  private static Optional<byte[]> safeManifest(ArtifactSource source, String repository, String reference) {
    try {
      return source.manifest(repository, reference);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static String sha256(byte[] data) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
