package io.portcullis.sbom.recognize;

import java.util.List;
import java.util.Map;

/**
 * What the registry knows about an artifact before reading any blob: enough to decide whether it is an SBOM.
 *
 * @param artifactType the manifest's {@code artifactType}; may be null
 * @param configMediaType the config descriptor's media type; may be null
 * @param layers the layer descriptors in manifest order
 * @param tag the tag the manifest was pushed under (for cosign's {@code sha256-<hex>.sbom}); may be null
 */
public record ArtifactDescription(String artifactType, String configMediaType, List<Layer> layers, String tag) {

  public ArtifactDescription {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** One layer descriptor: media type and annotations. */
  public record Layer(String mediaType, Map<String, String> annotations) {
    public Layer {
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Layer(String mediaType) {
      this(mediaType, Map.of());
    }
  }
}
