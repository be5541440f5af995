package io.portcullis.storage.bench;

import io.portcullis.storage.meta.ComponentQuery;
import io.portcullis.storage.meta.IndexedComponent;
import io.portcullis.storage.meta.SqliteMetadataStore;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Component search latency with 10,000 indexed SBOMs of 60 components each (600,000 rows), drawn from
 * 20,000 packages. Not a timed test: it prints its figures. Run it with
 * {@code ./mvnw -pl storage test -Dtest=ComponentSearchBenchmark -Dgroups=benchmark -Dportcullis.excludedGroups=none}.
 */
@Tag("benchmark")
class ComponentSearchBenchmark {
  private static final int SBOMS = Integer.getInteger("bench.sboms", 10_000);
  private static final int COMPONENTS = 60;
  private static final int PACKAGES = 20_000;
  private static final String[] LICENSES = {"mit", "apache-2.0", "bsd-3-clause", "isc", "gpl-2.0-only", "agpl-3.0-only"};

  private static Digest d(String s) { return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)); }

  @Test
  void searchLatencyWithTenThousandSboms() throws Exception {
    Path dir = Files.createTempDirectory("search-bench");
    Random random = new Random(42);
    try (SqliteMetadataStore store = new SqliteMetadataStore(dir.resolve("metadata.db"))) {
      long start = System.nanoTime();
      for (int i = 0; i < SBOMS; i++) {
        String repo = "team" + (i % 100) + "/app" + i;
        Digest image = d("image" + i);
        Digest sbom = d("sbom" + i);
        store.putManifest(new StoredManifest(repo, image, "application/vnd.oci.image.manifest.v1+json", 500, null, null, Map.of(), List.of()), List.of("v1"));
        store.putManifest(new StoredManifest(repo, sbom, "application/vnd.oci.image.manifest.v1+json", 500, "application/vnd.cyclonedx+json", image, Map.of(), List.of()), List.of());
        List<IndexedComponent> rows = new ArrayList<>(COMPONENTS);
        for (int c = 0; c < COMPONENTS; c++) {
          int p = random.nextInt(PACKAGES);
          String version = "1." + (p % 7) + "." + (p % 3);
          rows.add(new IndexedComponent("pkg:npm/pkg" + p, "pkg:npm/pkg" + p + "@" + version, "pkg" + p, version,
              List.of(LICENSES[p % LICENSES.length]), "pkg:npm/pkg" + p + "@" + version));
        }
        store.indexComponents(repo, image, sbom, rows);
      }
      double indexSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("indexed %d SBOMs (%d components) in %.1f s: %.0f SBOMs/s%n", SBOMS, SBOMS * COMPONENTS, indexSeconds, SBOMS / indexSeconds);
      report("purl without version", store, i -> ComponentQuery.purlBase("pkg:npm/pkg" + i), random);
      report("purl with version", store, i -> ComponentQuery.purl("pkg:npm/pkg" + i + "@1." + (i % 7) + "." + (i % 3)), random);
      report("name and version", store, i -> ComponentQuery.name("pkg" + i, "1." + (i % 7) + "." + (i % 3)), random);
      report("license (first page of 100)", store, i -> ComponentQuery.license(LICENSES[i % LICENSES.length]), random);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface QueryMaker {
    ComponentQuery make(int packageIndex);
  }

  private static void report(String what, SqliteMetadataStore store, QueryMaker q, Random random) {
    for (int i = 0; i < 200; i++) store.searchComponents(q.make(random.nextInt(PACKAGES)), null, 100); // warm up
    int n = 2000;
    long[] micros = new long[n];
    long results = 0;
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      results += store.searchComponents(q.make(random.nextInt(PACKAGES)), null, 100).size();
      micros[i] = (System.nanoTime() - t) / 1000;
    }
    Arrays.sort(micros);
    System.out.printf("search by %-28s p50 %6d us   p99 %6d us   (%.1f results per query)%n", what, micros[n / 2], micros[n * 99 / 100], results / (double) n);
  }
}
