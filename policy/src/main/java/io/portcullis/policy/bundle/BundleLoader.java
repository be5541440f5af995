package io.portcullis.policy.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads Rego files and data documents the way {@code opa eval -d} does: {@code .rego} files anywhere
 * under the given directories (or given directly), and {@code data.json} / {@code data.yaml} /
 * {@code data.yml} files merged into {@code data} at their directory's path relative to the root given.
 */
public final class BundleLoader {
  /** The largest single file accepted. */
  public static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
  /** The largest total accepted. */
  public static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private BundleLoader() {}

  public static Bundle load(List<Path> roots) throws IOException {
    Map<String, String> modules = new TreeMap<>();
    Value data = ObjectValue.EMPTY;
    MessageDigest digest = sha256();
    long total = 0;
    for (Path root : roots) {
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(root)) {
        files.add(root);
      } else {
        throw new IOException("no such file or directory: " + root);
      }
      for (Path f : files) {
        String name = f.getFileName().toString();
        boolean rego = name.endsWith(".rego");
        boolean dataFile = name.equals("data.json") || name.equals("data.yaml") || name.equals("data.yml");
        boolean directJson = f.equals(root) && (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml"));
        if (!rego && !dataFile && !directJson) continue;
        long size = Files.size(f);
        if (size > MAX_FILE_BYTES) throw new IOException(f + ": file larger than " + MAX_FILE_BYTES + " bytes");
        total += size;
        if (total > MAX_TOTAL_BYTES) throw new IOException("policy files larger than " + MAX_TOTAL_BYTES + " bytes in total");
        byte[] bytes = Files.readAllBytes(f);
        digest.update(f.toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
        if (rego) {
          modules.put(f.toString(), new String(bytes, StandardCharsets.UTF_8));
        } else {
          JsonNode node = (name.endsWith(".json") ? JSON : YAML).readTree(bytes);
          Value v = Json.fromJson(node);
          List<Value> at = new ArrayList<>();
          Path dir = f.getParent();
          if (Files.isDirectory(root) && dir != null) {
            for (Path p : root.relativize(dir)) {
              if (!p.toString().isEmpty()) at.add(new StringValue(p.toString()));
            }
          }
          data = mergeAt(data, at, 0, v);
        }
      }
    }
    return new Bundle(modules, data, HexFormat.of().formatHex(digest.digest()));
  }

  private static Value mergeAt(Value doc, List<Value> path, int i, Value v) {
    ObjectValue obj = doc instanceof ObjectValue o ? o : ObjectValue.EMPTY;
    if (i == path.size()) return v instanceof ObjectValue vo ? merge(obj, vo) : v;
    return obj.with(path.get(i), mergeAt(obj.get(path.get(i)), path, i + 1, v));
  }

  private static ObjectValue merge(ObjectValue a, ObjectValue b) {
    TreeMap<Value, Value> m = new TreeMap<>(a.entries());
    for (Map.Entry<Value, Value> e : b.entries().entrySet()) {
      Value prev = m.get(e.getKey());
      m.put(e.getKey(), prev instanceof ObjectValue po && e.getValue() instanceof ObjectValue eo ? merge(po, eo) : e.getValue());
    }
    return ObjectValue.of(m);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
