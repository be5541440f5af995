package io.portcullis.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML configuration file given with {@code --config}. Every key is optional; an unknown key
 * is an error (a typo must not silently fall back to a default). Relative paths are resolved against
 * the file's directory.
 *
 * <pre>
 * http:
 *   host: 127.0.0.1      # address to listen on
 *   port: 5000           # 0 picks a free port
 * storage:
 *   root: ./data         # blobs, uploads and metadata.db
 * </pre>
 */
public final class ConfigFile {
  private static final Map<String, Set<String>> KNOWN = Map.of(
      "http", Set.of("host", "port"),
      "storage", Set.of("root"));

  private ConfigFile() {}

  /** Applies the file's settings on top of {@code base}. */
  public static ServerConfig load(Path file, ServerConfig base) throws IOException {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isNull() || root.isMissingNode()) return base;
    if (!root.isObject()) throw new ConfigException(file + ": the configuration must be a mapping of sections");
    checkKeys(file, root);
    ServerConfig cfg = base;
    JsonNode http = root.path("http");
    if (http.has("host")) cfg = cfg.withHost(text(file, http, "http.host"));
    if (http.has("port")) {
      JsonNode port = http.get("port");
      if (!port.canConvertToInt() || port.intValue() < 0 || port.intValue() > 65535) {
        throw new ConfigException(file + ": http.port must be a number from 0 to 65535");
      }
      cfg = cfg.withPort(port.intValue());
    }
    JsonNode storage = root.path("storage");
    if (storage.has("root")) {
      Path dir = Path.of(text(file, storage, "storage.root"));
      Path parent = file.toAbsolutePath().getParent();
      cfg = cfg.withStorageDir(dir.isAbsolute() || parent == null ? dir : parent.resolve(dir).normalize());
    }
    return cfg;
  }

  private static void checkKeys(Path file, JsonNode root) {
    Iterator<Map.Entry<String, JsonNode>> sections = root.fields();
    while (sections.hasNext()) {
      Map.Entry<String, JsonNode> section = sections.next();
      Set<String> keys = KNOWN.get(section.getKey());
      if (keys == null) {
        throw new ConfigException(file + ": unknown section '" + section.getKey() + "' (known: " + String.join(", ", KNOWN.keySet()) + ")");
      }
      if (!section.getValue().isObject()) throw new ConfigException(file + ": '" + section.getKey() + "' must be a mapping");
      section.getValue().fieldNames().forEachRemaining(k -> {
        if (!keys.contains(k)) {
          throw new ConfigException(file + ": unknown key '" + section.getKey() + "." + k + "' (known: " + String.join(", ", keys) + ")");
        }
      });
    }
  }

  private static String text(Path file, JsonNode section, String name) {
    JsonNode v = section.get(name.substring(name.indexOf('.') + 1));
    if (!v.isTextual() || v.textValue().isEmpty()) throw new ConfigException(file + ": " + name + " must be a non-empty string");
    return v.textValue();
  }

  /** A configuration file that cannot be used; the message names the file and the key. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
  }
}
