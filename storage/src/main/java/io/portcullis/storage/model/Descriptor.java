package io.portcullis.storage.model;

import java.util.Map;

/**
 * An OCI content descriptor: what a manifest says about a blob or another manifest.
 *
 * @param artifactType may be null
 * @param annotations never null
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType, Map<String, String> annotations) {
  public Descriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
