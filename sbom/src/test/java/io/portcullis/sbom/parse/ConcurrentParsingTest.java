package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.sbom.SharedFixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One parser shared by several threads (as the registry will use it) gives the same results as one thread. */
class ConcurrentParsingTest {
  @Test
  void sharedParserAcrossThreads() throws Exception {
    Map<String, Integer> expected = Map.of(
        "spdx/tools-java/SPDXJSONExample-v2.3.spdx.json", 4,
        "spdx/cosign/bom-go-mod.spdx", 143,
        "cyclonedx/guac/quarkus-deps-cyclonedx.json", 94,
        "cyclonedx/bom-examples/laravel-7.12.0/bom.1.4.xml", 62,
        "spdx/spdx-examples/examplemaven-0.0.1.spdx3.json", 6);
    List<byte[]> inputs = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (var e : expected.entrySet()) {
      inputs.add(Files.readAllBytes(SharedFixtures.sbomDir().resolve(e.getKey())));
      counts.add(e.getValue());
    }
    SbomParser parser = new SbomParser();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      List<Integer> want = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < inputs.size(); i++) {
          byte[] bytes = inputs.get(i);
          want.add(counts.get(i));
          futures.add(pool.submit(() -> {
            SbomParseResult r = parser.parse(bytes, null);
            return r instanceof SbomParseResult.Parsed p ? p.document().components().size() : -1;
          }));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertEquals(want.get(i), futures.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
