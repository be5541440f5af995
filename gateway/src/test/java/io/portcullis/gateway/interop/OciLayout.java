package io.portcullis.gateway.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.Oci.Descriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI image layout (image-spec "image-layout.md") by hand: {@code oci-layout}, {@code index.json}
 * and {@code blobs/sha256/...}, so a real client can copy from it. Layers are real gzipped tar archives.
 */
final class OciLayout {
  private final Path dir;
  private final ArrayNode refs = Oci.JSON.createArrayNode();

  OciLayout(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  Path dir() { return dir; }

  Descriptor blob(String mediaType, byte[] content) throws IOException {
    Descriptor d = Descriptor.of(mediaType, content);
    Files.write(dir.resolve("blobs/sha256/" + d.digest().substring("sha256:".length())), content);
    return d;
  }

  /** Names {@code d} as {@code tag} in index.json (rewritten on each call). */
  void tag(Descriptor d, String tag) throws IOException {
    ObjectNode ref = refs.addObject();
    ref.put("mediaType", d.mediaType());
    ref.put("digest", d.digest());
    ref.put("size", d.size());
    ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    ObjectNode index = Oci.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", Oci.OCI_INDEX);
    index.set("manifests", refs);
    Files.write(dir.resolve("index.json"), Oci.JSON.writeValueAsBytes(index));
  }

  /** The image written by {@link #image}: its manifest descriptor and every blob it references. */
  record Written(Descriptor manifest, byte[] manifestBytes, List<Descriptor> blobs) {}

  /** Writes an OCI image for {@code arch} with {@code layers} one-file layers; returns its manifest descriptor. */
  Written image(String arch, int layers) throws IOException {
    List<String> diffIds = new ArrayList<>();
    List<Descriptor> layerDescs = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      byte[] tar = tar(Map.of("layer" + i + "/file-" + arch + ".txt",
          ("layer " + i + " for " + arch + "\n").repeat(1 + i).getBytes(StandardCharsets.UTF_8),
          "layer" + i + "/random.bin", Oci.randomBytes(2048 * (i + 1))));
      diffIds.add(Oci.sha256(tar));
      layerDescs.add(blob(Oci.OCI_LAYER, gzip(tar)));
    }
    ObjectNode config = Oci.JSON.createObjectNode();
    config.put("architecture", arch);
    config.put("os", "linux");
    config.putObject("config").putArray("Cmd").add("/bin/true");
    ArrayNode ids = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    diffIds.forEach(ids::add);
    Descriptor cfg = blob(Oci.OCI_CONFIG, Oci.JSON.writeValueAsBytes(config));
    Oci.ManifestBuilder m = Oci.ociManifest().config(cfg);
    layerDescs.forEach(m::layer);
    m.annotation("org.opencontainers.image.title", "portcullis-" + arch);
    byte[] manifest = m.build();
    List<Descriptor> blobs = new ArrayList<>(layerDescs);
    blobs.add(cfg);
    return new Written(blob(Oci.OCI_MANIFEST, manifest), manifest, blobs);
  }

  /** The digest that index.json names {@code tag}, or null. */
  static String digestOf(Path layout, String tag) throws IOException {
    JsonNode index = Oci.JSON.readTree(layout.resolve("index.json").toFile());
    for (JsonNode m : index.path("manifests")) {
      if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) return m.path("digest").asText();
    }
    return null;
  }

  static byte[] readBlob(Path layout, String digest) throws IOException {
    return Files.readAllBytes(layout.resolve("blobs/" + digest.replace(':', '/')));
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) { gz.write(data); }
    return out.toByteArray();
  }

  /** A POSIX ustar archive of regular files. */
  static byte[] tar(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new java.util.TreeMap<>(files).forEach((name, content) -> {
      byte[] h = new byte[512];
      put(h, 0, name, 100);
      put(h, 100, "0000644", 8);
      put(h, 108, "0000000", 8);
      put(h, 116, "0000000", 8);
      put(h, 124, String.format("%011o", content.length), 12);
      put(h, 136, String.format("%011o", 1_700_000_000L), 12);
      java.util.Arrays.fill(h, 148, 156, (byte) ' ');
      h[156] = '0';
      put(h, 257, "ustar", 6);
      put(h, 263, "00", 2);
      int sum = 0;
      for (byte b : h) sum += b & 0xff;
      put(h, 148, String.format("%06o", sum), 7);
      h[155] = ' ';
      out.writeBytes(h);
      out.writeBytes(content);
      out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    });
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] h, int off, String s, int max) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, Math.min(b.length, max));
  }
}
