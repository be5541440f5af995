package io.portcullis.sbom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the shared, read-only test vectors: system property {@code portcullis.shared}, else {@code ../shared}. */
public final class SharedFixtures {
  private SharedFixtures() {}

  public static Path sharedDir() {
    String configured = System.getProperty("portcullis.shared");
    if (configured != null && !configured.isBlank() && Files.isDirectory(Path.of(configured))) {
      return Path.of(configured);
    }
    // surefire runs in the module directory; the repository root is its parent
    for (Path candidate : List.of(Path.of("..", "shared"), Path.of("..", "..", "shared"))) {
      if (Files.isDirectory(candidate.resolve("fixtures"))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("shared fixtures not found: set -Dportcullis.shared=<dir>");
  }

  public static Path sbomDir() {
    return sharedDir().resolve("fixtures").resolve("sbom");
  }

  /** Every file under fixtures/sbom, as paths relative to it with '/' separators, sorted. */
  public static List<String> allSbomFixtures() throws IOException {
    Path root = sbomDir();
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }
}
