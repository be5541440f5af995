package io.portcullis.storage.meta;

import io.portcullis.storage.model.Digest;
import java.util.List;
import java.util.Map;

/**
 * A manifest as the metadata store records it in one repository.
 *
 * @param artifactType the effective artifact type (declared, else the config media type), or null
 * @param subject the digest this manifest refers to, or null
 * @param references digests of the blobs (config, layers) and child manifests it names
 */
public record StoredManifest(
    String repository,
    Digest digest,
    String mediaType,
    long size,
    String artifactType,
    Digest subject,
    Map<String, String> annotations,
    List<Digest> references) {

  public StoredManifest {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    references = references == null ? List.of() : List.copyOf(references);
  }
}
