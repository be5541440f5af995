package io.portcullis.storage.model;

import java.util.List;
import java.util.Map;

/**
 * What the registry needs to know of a parsed manifest or index.
 *
 * @param mediaType one of {@link MediaTypes#MANIFESTS}
 * @param config the config descriptor of an image manifest, null for an index
 * @param layers the layers of an image manifest (empty for an index)
 * @param manifests the child manifests of an index (empty for an image manifest)
 * @param subject the manifest this one refers to (OCI 1.1 referrers), or null
 * @param artifactType the declared artifact type, or null
 * @param annotations never null
 */
public record Manifest(
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    List<Descriptor> manifests,
    Descriptor subject,
    String artifactType,
    Map<String, String> annotations) {

  public Manifest {
    layers = List.copyOf(layers);
    manifests = List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public boolean isIndex() { return MediaTypes.isIndex(mediaType); }

  /**
   * The artifact type as the referrers API reports it: the declared {@code artifactType}, else the
   * config's media type for an image manifest.
   */
  public String effectiveArtifactType() {
    if (artifactType != null) return artifactType;
    return config != null ? config.mediaType() : null;
  }
}
