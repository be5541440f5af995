package io.portcullis.gateway.gate;

import io.portcullis.sbom.recognize.ArtifactDescription;
import io.portcullis.sbom.recognize.Recognition;
import io.portcullis.sbom.recognize.SbomRecognizer;
import io.portcullis.storage.model.Descriptor;
import io.portcullis.storage.model.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What an artifact is, as the policy input's {@code artifact.kind} says. */
public enum ArtifactKind {
  IMAGE, INDEX, SIGNATURE, ATTESTATION, SBOM, OTHER,
  /** A blob that no manifest of the repository references (yet). */
  BLOB;

  private static final SbomRecognizer SBOMS = new SbomRecognizer();

  public String label() { return name().toLowerCase(Locale.ROOT); }

  /**
   * Classifies a manifest from its descriptors and the tags pointing at it (cosign's
   * {@code sha256-<hex>.sig/.att/.sbom} tags name evidence). What a container runtime would run (an index,
   * or an image config with filesystem layers) is an image or an index whatever its tags or
   * {@code artifactType} say: evidence stays readable without a signature, so a runnable image disguised as
   * evidence would otherwise step around the gate.
   */
  public static ArtifactKind of(Manifest m, List<String> tags) {
    String artifactType = m.artifactType();
    String configType = m.config() == null ? null : m.config().mediaType();
    if (m.isIndex()) return INDEX;
    if (isImageConfig(configType) && m.layers().stream().anyMatch(l -> isFilesystemLayer(l.mediaType()))) return IMAGE;
    List<ArtifactDescription.Layer> layers = new ArrayList<>();
    for (Descriptor d : m.layers()) layers.add(new ArtifactDescription.Layer(d.mediaType(), d.annotations()));
    String tag = tags.stream().filter(t -> t.startsWith("sha256-")).findFirst().orElse(null);
    Recognition r = SBOMS.recognize(new ArtifactDescription(artifactType, configType, layers, tag));
    if (r.verdict() == Recognition.Verdict.SBOM) return SBOM;
    for (String t : tags) {
      if (t.startsWith("sha256-") && t.endsWith(".sig")) return SIGNATURE;
      if (t.startsWith("sha256-") && t.endsWith(".att")) return ATTESTATION;
      if (t.startsWith("sha256-") && t.endsWith(".sbom")) return SBOM;
    }
    if (isSignatureType(artifactType) || isSignatureType(configType) || m.layers().stream().anyMatch(l -> isSignatureType(l.mediaType()))) {
      return SIGNATURE;
    }
    if (isAttestationType(artifactType) || isAttestationType(configType) || m.layers().stream().anyMatch(l -> isAttestationType(l.mediaType()))) {
      return ATTESTATION;
    }
    return isImageConfig(configType) ? IMAGE : OTHER;
  }

  private static boolean isImageConfig(String t) {
    return "application/vnd.oci.image.config.v1+json".equals(t) || "application/vnd.docker.container.image.v1+json".equals(t);
  }

  /** A layer a runtime unpacks into the container's filesystem (OCI or Docker, foreign layers too). */
  private static boolean isFilesystemLayer(String t) {
    return t != null && (t.startsWith("application/vnd.oci.image.layer.") || t.startsWith("application/vnd.docker.image.rootfs."));
  }

  private static boolean isSignatureType(String t) {
    return t != null && (t.equals("application/vnd.dev.cosign.artifact.sig.v1+json")
        || t.equals("application/vnd.dev.cosign.simplesigning.v1+json")
        || t.startsWith("application/vnd.dev.sigstore.bundle"));
  }

  private static boolean isAttestationType(String t) {
    return t != null && (t.contains("in-toto") || t.contains("dsse") || t.equals("application/vnd.dev.cosign.artifact.att.v1+json"));
  }
}
