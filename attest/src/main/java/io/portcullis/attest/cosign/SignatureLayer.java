package io.portcullis.attest.cosign;

import java.util.Map;

/**
 * One layer of a cosign signature or attestation manifest: its media type, the blob bytes and the
 * layer's annotations ({@code dev.cosignproject.cosign/signature}, {@code dev.sigstore.cosign/certificate},
 * {@code dev.sigstore.cosign/chain}, {@code dev.sigstore.cosign/bundle}).
 *
 * @param artifactDigest digest of the manifest (or blob) that carried the layer, for the report
 */
public record SignatureLayer(String mediaType, byte[] payload, Map<String, String> annotations, String artifactDigest) {
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
  public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
  public static final String TIMESTAMP_ANNOTATION = "dev.sigstore.cosign/rfc3161timestamp";
  public static final String DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  public SignatureLayer {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /**
   * The RFC 3161 timestamp of cosign's {@code dev.sigstore.cosign/rfc3161timestamp} annotation
   * ({@code {"SignedRFC3161Timestamp": base64}}), over the raw signature bytes; empty when absent.
   *
   * @throws IllegalArgumentException when the annotation is present but unreadable
   */
  public static java.util.List<byte[]> timestamps(Map<String, String> annotations) {
    String json = annotations.get(TIMESTAMP_ANNOTATION);
    if (json == null || json.isBlank()) {
      return java.util.List.of();
    }
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("SignedRFC3161Timestamp");
      if (!node.isTextual()) {
        throw new IllegalArgumentException("timestamp annotation lacks SignedRFC3161Timestamp");
      }
      return java.util.List.of(java.util.Base64.getDecoder().decode(node.asText()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("timestamp annotation is not JSON");
    }
  }
}
