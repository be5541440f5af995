package io.portcullis.attest.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.cosign.SimpleSigningPayload;
import io.portcullis.attest.discovery.EvidenceCollector;
import io.portcullis.attest.keys.SimpleSigningSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Publishes a cosign simple-signing signature the way cosign does: either as a layer of the
 * {@code sha256-<hex>.sig} manifest (appended when that tag already holds other signatures), or as an
 * OCI 1.1 referrer (artifact type {@code application/vnd.dev.cosign.artifact.sig.v1+json}, empty
 * config, {@code subject} = the signed manifest).
 */
public final class SignaturePusher {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignaturePusher() {}

  /** Pushes to the cosign tag; returns the signature manifest's digest. */
  public static String pushTagged(RegistryClient client, String repository, String subjectDigest,
      SimpleSigningSigner.SignedPayload signed) throws IOException {
    String payloadDigest = client.pushBlob(repository, signed.payload());
    String tag = EvidenceCollector.cosignTag(subjectDigest, "sig");
    ArrayNode layers = JSON.createArrayNode();
    var existing = client.fetchManifest(repository, tag);
    if (existing.isPresent()) {
      for (JsonNode l : JSON.readTree(existing.get().bytes()).path("layers")) {
        if (l.path("digest").asText().equals(payloadDigest)
            && l.path("annotations").path(SignatureLayer.SIGNATURE_ANNOTATION).asText().equals(signed.signatureBase64())) {
          return existing.get().digest();
        }
        layers.add(l);
      }
    }
    layers.add(layer(payloadDigest, signed));
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.put("created", "0001-01-01T00:00:00Z");
    config.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
    config.put("os", "");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.path("digest").asText()));
    config.putObject("config");
    byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
    String configDigest = client.pushBlob(repository, configBytes);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.putObject("config").put("mediaType", OCI_CONFIG).put("size", configBytes.length).put("digest", configDigest);
    manifest.set("layers", layers);
    return client.putManifest(repository, tag, OCI_MANIFEST, manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Pushes an OCI 1.1 referrer; returns the signature manifest's digest. */
  public static String pushReferrer(RegistryClient client, String repository, String subjectDigest,
      String subjectMediaType, long subjectSize, SimpleSigningSigner.SignedPayload signed) throws IOException {
    String payloadDigest = client.pushBlob(repository, signed.payload());
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    String emptyDigest = client.pushBlob(repository, empty);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("artifactType", EvidenceCollector.COSIGN_SIGNATURE_ARTIFACT);
    manifest.putObject("config").put("mediaType", EMPTY_CONFIG).put("size", empty.length).put("digest", emptyDigest);
    manifest.putArray("layers").add(layer(payloadDigest, signed));
    manifest.putObject("subject").put("mediaType", subjectMediaType).put("size", subjectSize).put("digest", subjectDigest);
    byte[] bytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
    return client.putManifest(repository, RegistryClient.sha256(bytes), OCI_MANIFEST, bytes);
  }

  private static ObjectNode layer(String payloadDigest, SimpleSigningSigner.SignedPayload signed) {
    ObjectNode l = JSON.createObjectNode();
    l.put("mediaType", SimpleSigningPayload.MEDIA_TYPE);
    l.put("size", signed.payload().length);
    l.put("digest", payloadDigest);
    l.putObject("annotations").put(SignatureLayer.SIGNATURE_ANNOTATION, signed.signatureBase64());
    return l;
  }
}
