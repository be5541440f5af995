package io.portcullis.gateway.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Media types, digests and builders for the OCI and Docker documents the tests push. Everything is built
 * from scratch in the test (nothing stored): random blobs, configs and the four manifest types.
 */
public final class Oci {
  private Oci() {}

  public static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code code} of each entry in an OCI error body, in order (empty if the body is no such thing). */
  public static List<String> errorCodes(byte[] body) {
    List<String> codes = new java.util.ArrayList<>();
    try {
      JSON.readTree(body).path("errors").forEach(e -> codes.add(e.path("code").asText()));
    } catch (java.io.IOException | RuntimeException e) {
      // not an error body
    }
    return codes;
  }

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** Every manifest media type the registry must serve, for an {@code Accept} header. */
  public static final String ACCEPT_ALL = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

  /** The OCI empty JSON blob {@code {}} and its well-known digest. */
  public static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
  public static final String EMPTY_JSON_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  private static final AtomicLong SEED = new AtomicLong(System.nanoTime());

  public static String sha256(byte[] data) { return "sha256:" + hex("SHA-256", data); }

  public static String sha512(byte[] data) { return "sha512:" + hex("SHA-512", data); }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fresh random bytes, different on every call. */
  public static byte[] randomBytes(int size) {
    byte[] b = new byte[size];
    SplittableRandom r = new SplittableRandom(SEED.incrementAndGet() * 0x9E3779B97F4A7C15L);
    for (int i = 0; i < size; i++) b[i] = (byte) r.nextInt(256);
    return b;
  }

  /** A small, unique, valid OCI image config (JSON). */
  public static byte[] config(String arch) {
    ObjectNode c = JSON.createObjectNode();
    c.put("architecture", arch);
    c.put("os", "linux");
    c.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    c.putObject("config").putArray("Env").add("NONCE=" + HexFormat.of().formatHex(randomBytes(8)));
    return bytes(c);
  }

  /** A content descriptor: media type, digest, size, and the optional OCI 1.1 fields. */
  public record Descriptor(String mediaType, String digest, long size, String artifactType,
                           Map<String, String> annotations, Map<String, String> platform) {
    public static Descriptor of(String mediaType, byte[] content) {
      return new Descriptor(mediaType, sha256(content), content.length, null, null, null);
    }

    public Descriptor withPlatform(String os, String arch) {
      return new Descriptor(mediaType, digest, size, artifactType, annotations, Map.of("os", os, "architecture", arch));
    }

    ObjectNode toJson() {
      ObjectNode d = JSON.createObjectNode();
      d.put("mediaType", mediaType);
      d.put("digest", digest);
      d.put("size", size);
      if (artifactType != null) d.put("artifactType", artifactType);
      if (annotations != null) annotations.forEach(d.putObject("annotations")::put);
      if (platform != null) {
        ObjectNode p = d.putObject("platform");
        p.put("architecture", platform.get("architecture"));
        p.put("os", platform.get("os"));
      }
      return d;
    }
  }

  /** Builder for an OCI image manifest or a Docker schema 2 manifest. */
  public static final class ManifestBuilder {
    private final String mediaType;
    private Descriptor config;
    private final List<Descriptor> layers = new java.util.ArrayList<>();
    private String artifactType;
    private Descriptor subject;
    private final Map<String, String> annotations = new java.util.LinkedHashMap<>();

    private ManifestBuilder(String mediaType) { this.mediaType = mediaType; }

    public ManifestBuilder config(Descriptor d) { config = d; return this; }
    public ManifestBuilder layer(Descriptor d) { layers.add(d); return this; }
    public ManifestBuilder artifactType(String t) { artifactType = t; return this; }
    public ManifestBuilder subject(Descriptor d) { subject = d; return this; }
    public ManifestBuilder annotation(String k, String v) { annotations.put(k, v); return this; }

    public byte[] build() {
      ObjectNode m = JSON.createObjectNode();
      m.put("schemaVersion", 2);
      m.put("mediaType", mediaType);
      if (artifactType != null) m.put("artifactType", artifactType);
      m.set("config", config.toJson());
      ArrayNode ls = m.putArray("layers");
      layers.forEach(l -> ls.add(l.toJson()));
      if (subject != null) m.set("subject", subject.toJson());
      if (!annotations.isEmpty()) annotations.forEach(m.putObject("annotations")::put);
      return bytes(m);
    }
  }

  public static ManifestBuilder ociManifest() { return new ManifestBuilder(OCI_MANIFEST); }

  public static ManifestBuilder dockerManifest() { return new ManifestBuilder(DOCKER_MANIFEST); }

  /** An OCI image index or Docker manifest list over {@code manifests}. */
  public static byte[] index(String mediaType, List<Descriptor> manifests, String artifactType, Descriptor subject,
                             Map<String, String> annotations) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", mediaType);
    if (artifactType != null) m.put("artifactType", artifactType);
    ArrayNode ms = m.putArray("manifests");
    manifests.forEach(d -> ms.add(d.toJson()));
    if (subject != null) m.set("subject", subject.toJson());
    if (annotations != null && !annotations.isEmpty()) annotations.forEach(m.putObject("annotations")::put);
    return bytes(m);
  }

  public static byte[] index(String mediaType, List<Descriptor> manifests) {
    return index(mediaType, manifests, null, null, null);
  }

  static byte[] bytes(Object node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
