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
  public static final String DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  public SignatureLayer {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
