package io.portcullis.policy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.policy.EmbeddedRegoEngine;
import io.portcullis.policy.EvaluationLimits;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (not a test): compile time of a bundle, then evaluations per second and p50/p99 latency
 * of {@code data.portcullis.pull} for an input with 20 signatures and an SBOM of 2,000 components.
 * Run: {@code java -cp <test-classpath> io.portcullis.policy.bench.AdmissionBenchmark [bundle-dir] [iterations]}.
 */
public final class AdmissionBenchmark {
  private AdmissionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path bundle = Path.of(args.length > 0 ? args[0] : "../policies.rego");
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    if (!Files.isDirectory(bundle)) throw new IllegalArgumentException("no bundle directory " + bundle);

    long c0 = System.nanoTime();
    EmbeddedRegoEngine engine = EmbeddedRegoEngine.load(List.of(bundle), EvaluationLimits.defaults());
    long compileNanos = System.nanoTime() - c0;
    for (int i = 0; i < 5; i++) {
      long t = System.nanoTime();
      EmbeddedRegoEngine.load(List.of(bundle), EvaluationLimits.defaults());
      compileNanos = Math.min(compileNanos, System.nanoTime() - t);
    }
    System.out.printf("compile %s: %.2f ms (best of 6)%n", bundle, compileNanos / 1e6);

    JsonNode input = input();
    Value inputValue = Json.fromJson(input);
    System.out.println("decision: " + engine.evaluate("portcullis/pull", input).orElseThrow().toString().replaceAll("(.{300}).*", "$1..."));

    measure("pull decision, input as Rego value (decision only)", iterations, () -> engine.evaluateValue("portcullis/pull", inputValue));
    measure("pull decision, input as JSON (includes JSON->value conversion)", iterations, () -> engine.evaluate("portcullis/pull", input));
  }

  private interface Call { Object run() throws Exception; }

  private static void measure(String label, int iterations, Call call) throws Exception {
    for (int i = 0; i < Math.max(2000, iterations / 5); i++) call.run();
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] nanos = new long[iterations];
    long[] cpu = new long[iterations];
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      long c = threads.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - t;
      cpu[i] = threads.getCurrentThreadCpuTime() - c;
    }
    long total = System.nanoTime() - start;
    Arrays.sort(nanos);
    Arrays.sort(cpu);
    // on a shared machine wall-clock latency includes waiting for a core; CPU time shows the work itself
    System.out.printf("%s: %d evals, %.0f evals/s, wall p50 %.1f us, p99 %.1f us; cpu p50 %.1f us, p99 %.1f us%n", label,
        iterations, iterations / (total / 1e9), nanos[iterations / 2] / 1e3, nanos[(int) (iterations * 0.99)] / 1e3,
        cpu[iterations / 2] / 1e3, cpu[(int) (iterations * 0.99)] / 1e3);
  }

  /** A realistic pull input: a protected repository, 20 signatures (one verified), one SBOM of 2,000 components. */
  static JsonNode input() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode in = m.createObjectNode();
    in.put("action", "pull");
    ObjectNode req = in.putObject("request");
    req.put("repository", "prod/payments/api");
    req.put("reference", "v1.2.3");
    req.put("method", "GET");
    req.putObject("user").put("name", "ci").putArray("groups").add("deployers");
    req.putObject("client").put("ip", "10.0.0.7").put("userAgent", "containerd/1.7");
    ObjectNode art = in.putObject("artifact");
    art.put("digest", "sha256:" + "ab".repeat(32));
    art.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    art.put("kind", "image");
    art.put("size", 1234);
    art.putObject("annotations").put("org.opencontainers.image.source", "https://example.com/payments");
    ArrayNode sigs = in.putArray("signatures");
    for (int i = 0; i < 20; i++) {
      ObjectNode s = sigs.addObject();
      s.put("verified", i == 7);
      s.put("reason", i == 7 ? "verified by release-key" : "no trust policy accepts this key");
      s.put("keyId", "key-" + i);
      s.put("scheme", "cosign");
      s.put("digest", "sha256:" + String.format("%064d", i));
    }
    in.putArray("attestations");
    ArrayNode sboms = in.putArray("sboms");
    ObjectNode sbom = sboms.addObject();
    sbom.put("format", "cyclonedx");
    sbom.put("specVersion", "1.5");
    sbom.put("digest", "sha256:" + "cd".repeat(32));
    ArrayNode comps = sbom.putArray("components");
    String[] licenses = {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0"};
    for (int i = 0; i < 2000; i++) {
      ObjectNode c = comps.addObject();
      c.put("name", "component-" + i);
      c.put("version", "1." + (i % 17) + "." + (i % 5));
      c.put("purl", "pkg:npm/component-" + i + "@1." + (i % 17) + "." + (i % 5));
      c.putArray("licenses").add(licenses[i % licenses.length]);
    }
    in.putObject("vulnerabilities").put("critical", 0).put("high", 3).put("source", "grype");
    in.putObject("trust").put("configured", true).putArray("policies");
    return in;
  }
}
