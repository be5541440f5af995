package io.portcullis.attest.discovery;

import java.util.Map;

/** One entry of an OCI 1.1 referrers index. */
public record ReferrerDescriptor(String mediaType, String digest, long size, String artifactType,
    Map<String, String> annotations) {
  public ReferrerDescriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
