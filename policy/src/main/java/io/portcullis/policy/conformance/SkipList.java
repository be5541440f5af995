package io.portcullis.policy.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cases we deliberately do not run, each with its reason. Kept in the repository as
 * {@code skip-list.txt} next to this class: one entry a line, {@code <note or file-path fragment> | <reason>};
 * lines starting with {@code #} are comments.
 */
public final class SkipList {
  private final Map<String, String> entries;

  private SkipList(Map<String, String> entries) { this.entries = entries; }

  public static SkipList standard() {
    try (InputStream in = SkipList.class.getResourceAsStream("skip-list.txt")) {
      if (in == null) return new SkipList(Map.of());
      Map<String, String> m = new LinkedHashMap<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) continue;
        int bar = line.indexOf(" | ");
        if (bar < 0) throw new IllegalStateException("skip-list entry without a reason: " + line);
        m.put(line.substring(0, bar).strip(), line.substring(bar + 3).strip());
      }
      return new SkipList(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reason to skip the case, or null to run it. Matches the exact note or a fragment of the file path. */
  public String reason(ConformanceCase c) {
    String path = c.file().toString().replace('\\', '/');
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (e.getKey().equals(c.note()) || (e.getKey().contains("/") && path.contains(e.getKey()))) return e.getValue();
    }
    return null;
  }

  public Map<String, String> entries() { return entries; }
}
