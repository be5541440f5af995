package io.portcullis.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.cosign.SignatureLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Finds the shared, read-only test vectors ({@code portcullis.shared}, else {@code ../shared} of the repo). */
public final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  public static Path root() {
    String prop = System.getProperty("portcullis.shared");
    if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) {
      return Path.of(prop, "fixtures");
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("../shared/fixtures")) && Files.exists(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("attest"))) {
        return p.resolve("../shared/fixtures").normalize();
      }
    }
    throw new IllegalStateException("shared fixtures not found; set -Dportcullis.shared");
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static byte[] bytes(String relative) throws IOException {
    return Files.readAllBytes(path(relative));
  }

  public static String sha256(byte[] data) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** containers/image's on-disk signature: {@code \0sigstore-json\n} + {mimeType, payload, annotations}. */
  public static SignatureLayer containersImageSignature(String relative) throws Exception {
    byte[] raw = bytes(relative);
    String prefix = "\u0000sigstore-json\n";
    int skip = new String(raw, 0, prefix.length(), java.nio.charset.StandardCharsets.ISO_8859_1).equals(prefix)
        ? prefix.length() : 0;
    JsonNode n = JSON.readTree(java.util.Arrays.copyOfRange(raw, skip, raw.length));
    Map<String, String> ann = new LinkedHashMap<>();
    n.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
    byte[] payload = Base64.getDecoder().decode(n.path("payload").asText());
    return new SignatureLayer(n.path("mimeType").asText(), payload, ann, sha256(raw));
  }
}
