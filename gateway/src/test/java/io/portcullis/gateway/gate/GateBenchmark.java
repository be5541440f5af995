package io.portcullis.gateway.gate;

import io.portcullis.attest.keys.CosignKeyPair;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of the gate: manifest GETs of a signed image with a real SBOM (cyclonedx-npm's juice-shop,
 * 1,101 components) in prod/, through a registry with the default bundle, against the same registry with
 * the gate off; and the time of an uncached decision right after a new signature is pushed. Prints its
 * figures; not a timed test. Run: {@code ./mvnw -pl gateway test -Dtest=GateBenchmark -Dportcullis.excludedGroups=none}.
 */
@Tag("benchmark")
class GateBenchmark {
  @Test
  void gateCost(@TempDir Path dir) throws Exception {
    CosignKeyPair key = CosignKeyPair.generate();
    List<TrustPolicy> trust = List.of(TrustPolicy.ofKeys("release", List.of(TrustedKey.of("release.pub", key.publicKey())), null));
    String sbom = Files.readString(Path.of(System.getProperty("portcullis.shared", "../../shared"),
        "fixtures/sbom/cyclonedx/cyclonedx-node-npm/juice-shop/flat/bom.1.6.json"));
    Files.createDirectories(dir.resolve("on"));
    Files.createDirectories(dir.resolve("off"));
    try (RegistryTestClient on = RegistryTestClient.start(dir.resolve("on"), c -> c.withGate(c.gate().withTrust(trust)));
        RegistryTestClient off = RegistryTestClient.start(dir.resolve("off"), c -> c.withGate(c.gate().withEnabled(false)))) {
      for (RegistryTestClient r : List.of(on, off)) {
        Image img = r.pushImage("prod/bench", "v1", 1);
        EvidenceAttacher.signWithTag(r, "prod/bench", img.digest(), key);
        EvidenceAttacher.attachSbom(r, "prod/bench", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, sbom);
        if (r.get("/v2/prod/bench/manifests/v1", "Accept", Oci.ACCEPT_ALL).status() != 200) throw new AssertionError("not admitted");
      }
      for (int concurrency : new int[] {1, 8}) {
        double[] offStats = measure(off, concurrency);
        double[] onStats = measure(on, concurrency);
        System.out.printf("manifest GET, %d client(s): gate off %.0f/s (p50 %.0f us, p99 %.0f us); gate on %.0f/s (p50 %.0f us, p99 %.0f us); on/off %.2f%n",
            concurrency, offStats[0], offStats[1], offStats[2], onStats[0], onStats[1], onStats[2], onStats[0] / offStats[0]);
      }
      // Uncached: each new signature changes the evidence fingerprint, so the next pull decides afresh
      // (verify the new signature, reuse the parsed SBOM from its cache, evaluate).
      String digest = Oci.sha256(on.get("/v2/prod/bench/manifests/v1", "Accept", Oci.ACCEPT_ALL).body());
      int n = Integer.getInteger("portcullis.bench.uncached", 30);
      long[] micros = new long[n];
      for (int i = 0; i < n; i++) {
        EvidenceAttacher.signWithTag(on, "prod/bench", digest, key);
        long t = System.nanoTime();
        if (on.get("/v2/prod/bench/manifests/v1", "Accept", Oci.ACCEPT_ALL).status() != 200) throw new AssertionError("denied");
        micros[i] = (System.nanoTime() - t) / 1000;
      }
      Arrays.sort(micros);
      System.out.printf("uncached decision (new signature, 1,101-component SBOM): GET p50 %d us, p99 %d us%n", micros[n / 2], micros[n - 1]);
      // The server's own time for those decisions (gather evidence, build the input, evaluate), from the decision log.
      Thread.sleep(500); // the log is flushed every 200 ms
      List<Long> evals = new java.util.ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("on/decisions.jsonl"))) {
        var d = Oci.JSON.readTree(line);
        if (!d.path("cached").asBoolean() && d.path("allowed").asBoolean()) evals.add(d.path("evaluationMicros").asLong());
      }
      long[] e = evals.stream().skip(Math.max(0, evals.size() - n)).mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("  of which the decision itself (server side): p50 %d us, p99 %d us%n", e[e.length / 2], e[e.length - 1]);
    }
  }

  /** {throughput per second, p50 us, p99 us} of manifest GETs over 3 seconds after a warm-up. */
  private static double[] measure(RegistryTestClient r, int concurrency) throws Exception {
    for (int i = 0; i < 300; i++) r.get("/v2/prod/bench/manifests/v1", "Accept", Oci.ACCEPT_ALL);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long end = System.nanoTime() + 3_000_000_000L;
    try {
      List<Future<long[]>> parts = new java.util.ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        parts.add(pool.submit(() -> {
          long[] lat = new long[200_000];
          int count = 0;
          while (System.nanoTime() < end && count < lat.length) {
            long t = System.nanoTime();
            if (r.get("/v2/prod/bench/manifests/v1", "Accept", Oci.ACCEPT_ALL).status() != 200) throw new AssertionError("not 200");
            lat[count++] = (System.nanoTime() - t) / 1000;
          }
          return Arrays.copyOf(lat, count);
        }));
      }
      long[] all = new long[0];
      for (Future<long[]> f : parts) {
        long[] p = f.get();
        long[] merged = Arrays.copyOf(all, all.length + p.length);
        System.arraycopy(p, 0, merged, all.length, p.length);
        all = merged;
      }
      Arrays.sort(all);
      return new double[] {all.length / 3.0, all[all.length / 2], all[all.length * 99 / 100]};
    } finally {
      pool.shutdown();
    }
  }
}
