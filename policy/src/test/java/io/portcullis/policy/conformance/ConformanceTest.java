package io.portcullis.policy.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.policy.builtins.BuiltinRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs OPA's conformance cases from the shared directory and holds the engine to the agreed rates:
 * at least 97% of the core and relevant-builtin cases and at least 85% of all cases pass. Categories
 * come from the table in {@code INDEX.md}.
 */
class ConformanceTest {
  private static Path sharedDir() {
    String prop = System.getProperty("portcullis.shared");
    if (prop != null && !prop.isBlank() && !prop.contains("${")) return Path.of(prop);
    Path cwd = Path.of("").toAbsolutePath();
    for (Path p = cwd; p != null; p = p.getParent()) {
      Path candidate = p.resolve("../shared").normalize();
      if (Files.isDirectory(candidate.resolve("rego-conformance"))) return candidate;
    }
    return cwd.resolve("../../shared").normalize();
  }

  /** Directory name to category, from INDEX.md's tables. */
  static Map<String, String> categories(Path index) throws IOException {
    Map<String, String> out = new HashMap<>();
    String category = null;
    for (String line : Files.readAllLines(index)) {
      if (line.startsWith("## ")) {
        String h = line.substring(3).trim();
        int colon = h.indexOf(':');
        category = colon > 0 ? h.substring(0, colon).trim() : null;
        continue;
      }
      if (category == null || !line.startsWith("| ")) continue;
      String[] cells = line.split("\\|");
      if (cells.length < 3) continue;
      String dir = cells[1].trim();
      if (dir.isEmpty() || dir.equals("directory") || dir.startsWith("-")) continue;
      out.put(dir, category);
    }
    return out;
  }

  @Test
  void sharedConformanceCasesPassAtTheAgreedRates() throws IOException {
    Path root = sharedDir().resolve("rego-conformance");
    Path cases = root.resolve("cases/v1");
    assumeTrue(Files.isDirectory(cases), "shared conformance cases not found at " + cases);
    Map<String, String> categories = categories(root.resolve("INDEX.md"));
    ConformanceRunner runner = new ConformanceRunner(BuiltinRegistry.standard(), SkipList.standard());
    List<CaseOutcome> outcomes = runner.runAll(cases, System.out);

    Map<String, int[]> byCategory = new TreeMap<>();
    int[] all = new int[3];
    for (CaseOutcome o : outcomes) {
      String cat = categories.getOrDefault(o.testCase().topic(), "unknown");
      int[] c = byCategory.computeIfAbsent(cat, k -> new int[3]);
      int slot = o.status().ordinal();
      c[slot]++;
      all[slot]++;
    }
    int[] relevant = new int[3];
    for (String cat : List.of("core", "relevant-builtin")) {
      int[] c = byCategory.getOrDefault(cat, new int[3]);
      for (int i = 0; i < 3; i++) relevant[i] += c[i];
    }
    for (Map.Entry<String, int[]> e : byCategory.entrySet()) {
      System.out.printf("%-18s %s%n", e.getKey(), describe(e.getValue()));
    }
    System.out.printf("%-18s %s%n", "core+relevant", describe(relevant));
    System.out.printf("%-18s %s%n", "all", describe(all));
    assertTrue(rate(relevant) >= 0.97, "core + relevant-builtin pass rate " + describe(relevant) + " is under 97%");
    assertTrue(rate(all) >= 0.85, "overall pass rate " + describe(all) + " is under 85%");
  }

  /** Counts are passed, failed, skipped (the order of {@link CaseOutcome.Status}); skipped cases count as not passed. */
  private static double rate(int[] c) {
    int total = c[0] + c[1] + c[2];
    return total == 0 ? 0 : (double) c[0] / total;
  }

  private static String describe(int[] c) {
    return String.format("%d passed, %d failed, %d skipped (%.1f%%)", c[0], c[1], c[2], 100 * rate(c));
  }
}
