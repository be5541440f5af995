package io.portcullis.attest.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The cosign / containers "simple signing" payload:
 * {@code {"critical":{"identity":{"docker-reference"},"image":{"docker-manifest-digest"},"type":"cosign container image signature"},"optional":...}}.
 */
public record SimpleSigningPayload(String dockerReference, String manifestDigest, String type) {
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String TYPE = "cosign container image signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** @throws IllegalArgumentException when the bytes are not a simple-signing payload */
  public static SimpleSigningPayload parse(byte[] bytes) {
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (Exception e) {
      throw new IllegalArgumentException("payload is not JSON");
    }
    JsonNode critical = n.path("critical");
    String digest = critical.path("image").path("docker-manifest-digest").asText(null);
    String type = critical.path("type").asText(null);
    if (digest == null || type == null) {
      throw new IllegalArgumentException("payload lacks critical.image.docker-manifest-digest or critical.type");
    }
    return new SimpleSigningPayload(critical.path("identity").path("docker-reference").asText(null), digest, type);
  }

  /** The payload bytes cosign writes for a digest and reference. */
  public static byte[] create(String dockerReference, String manifestDigest) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest);
    critical.put("type", TYPE);
    root.putNull("optional");
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
