package io.portcullis.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator. bench/run starts the servers and calls it with their addresses and pids:
 * <pre>
 * java -jar portcullis-bench.jar --distribution URL --distribution-pid N --distribution-storage DIR
 *     --portcullis URL --portcullis-pid N [--heap-portcullis URL --heap-portcullis-pid N]
 *     [--nginx URL --nginx-pid N --nginx-root DIR] [--gate-off URL --gate-off-pid N --gate-on URL --gate-on-pid N]
 *     [--sign-key KEY --portcullis-cli PATH]
 *     [--quick] [--rounds N] [--out DIR] [--info KEY=VALUE]...
 * </pre>
 * {@code --sign-key} is the cosign private key the gate-on Portcullis trusts (its passphrase in
 * PORTCULLIS_PASSWORD) and {@code --portcullis-cli} the launcher whose {@code sign} command signs the
 * images of the signed gate workload; without them that workload is reported as not measured.
 * It writes {@code latest.json}, {@code latest.md} and {@code latest.png} into the output directory.
 * {@code --chart-from RESULTS.json OUT.png} only redraws a chart from an earlier run's JSON.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--chart-from")) {
      redrawChart(Path.of(args[1]), Path.of(args[2]));
      return;
    }
    Map<String, String> opt = new HashMap<>();
    Map<String, String> info = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quick")) {
        opt.put("quick", "true");
      } else if (a.equals("--info")) {
        String kv = args[++i];
        int eq = kv.indexOf('=');
        info.put(kv.substring(0, eq), kv.substring(eq + 1));
      } else if (a.startsWith("--") && i + 1 < args.length) {
        opt.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    Plan plan = opt.containsKey("quick") ? Plan.quick() : Plan.full();
    if (opt.containsKey("rounds")) {
      Plan p = plan;
      plan = new Plan(p.mode(), Integer.parseInt(opt.get("rounds")), p.slices(), p.blobSizes(), p.chunkedBlobMiB(), p.chunkMiB(),
          p.chunkedPushes(), p.concurrencies(), p.metadataTime(), p.metadataMaxOps(), p.mixedConcurrency(),
          p.mixedTime(), p.heapProbeBytes());
    }
    Path out = Path.of(opt.getOrDefault("out", "results"));
    Files.createDirectories(out);

    long distributionPid = Long.parseLong(required(opt, "distribution-pid"));
    long portcullisPid = Long.parseLong(required(opt, "portcullis-pid"));
    RegistryClient distribution = new RegistryClient("Distribution", Benchmark.uri(required(opt, "distribution")), distributionPid);
    RegistryClient portcullis = new RegistryClient("Portcullis", Benchmark.uri(required(opt, "portcullis")), portcullisPid);
    RegistryClient nginx = opt.containsKey("nginx")
        ? new RegistryClient("nginx", Benchmark.uri(opt.get("nginx")), Long.parseLong(opt.getOrDefault("nginx-pid", "0"))) : null;
    // The gate workloads compare two Portcullis servers with the same history (the same preparation and
    // warm-up, nothing else), one with the gate off and one with it on.
    RegistryClient gateOff = opt.containsKey("gate-on")
        ? new RegistryClient(Report.GATE_OFF, Benchmark.uri(required(opt, "gate-off")), Long.parseLong(required(opt, "gate-off-pid"))) : null;
    RegistryClient gateOn = opt.containsKey("gate-on")
        ? new RegistryClient(Report.GATE_ON, Benchmark.uri(opt.get("gate-on")), Long.parseLong(opt.getOrDefault("gate-on-pid", "0"))) : null;

    List<Long> ourPids = new ArrayList<>(List.of(ProcessHandle.current().pid(), distributionPid, portcullisPid));
    for (String key : List.of("nginx-pid", "heap-portcullis-pid", "gate-on-pid", "gate-off-pid")) {
      if (opt.containsKey(key)) {
        ourPids.add(Long.parseLong(opt.get(key)));
      }
    }
    CpuShare cpu = new CpuShare(ourPids);
    Instant started = Instant.now();

    SignedImages signed = opt.containsKey("sign-key")
        ? new SignedImages(Path.of(opt.get("sign-key")), Path.of(required(opt, "portcullis-cli"))) : null;
    Benchmark bench = new Benchmark(plan, distribution, portcullis, nginx, Path.of(required(opt, "distribution-storage")),
        opt.containsKey("nginx-root") ? Path.of(opt.get("nginx-root")) : null, gateOff, gateOn, signed);
    System.err.println("== preparing repositories and warming up both registries");
    bench.prepare(distribution);
    bench.prepare(portcullis);
    if (gateOn != null) {
      bench.prepare(gateOff);
      bench.prepare(gateOn);
      if (signed != null) {
        System.err.println("== pushing, signing (portcullis sign) and attaching SBOMs to the signed images on both gate servers");
        bench.prepareSigned();
      }
    }
    bench.runRounds();

    Map<String, Double> peakRssMiB = new LinkedHashMap<>();
    peakRssMiB.put("Distribution", ProcFs.statusKiB(distributionPid, "VmHWM") / 1024.0);
    peakRssMiB.put("Portcullis", ProcFs.statusKiB(portcullisPid, "VmHWM") / 1024.0);

    HeapProbe.Result heap = null;
    if (opt.containsKey("heap-portcullis")) {
      heap = HeapProbe.run(new RegistryClient("Portcullis -Xmx256m", Benchmark.uri(opt.get("heap-portcullis")), 0),
          Long.parseLong(required(opt, "heap-portcullis-pid")), plan.heapProbeBytes());
      System.err.printf("  heap probe: push %s, peak heap used %.0f MiB (push), %.0f MiB (pull), max heap %s%n",
          heap.pushOk() ? "ok" : "FAILED: " + heap.pushError(), heap.peakHeapPushMiB(), heap.peakHeapPullMiB(),
          heap.maxHeapFlag());
    }
    double[] shares = cpu.shares();
    Instant finished = Instant.now();

    Report report = new Report(plan, started, finished, info, bench.measurements, bench.descriptions,
        bench.unavailable, peakRssMiB, heap, shares[0], shares[1]);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", plan.mode());
    json.put("rounds", plan.rounds());
    json.put("started", started.toString());
    json.put("finished", finished.toString());
    json.put("info", info);
    json.put("cpuShareOurs", shares[0]);
    json.put("cpuShareOthers", shares[1]);
    json.put("summary", report.summaries());
    json.put("measurements", bench.measurements);
    json.put("unavailable", bench.unavailable);
    json.put("peakRssMiB", peakRssMiB);
    json.put("heapProbe", heap);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("latest.json").toFile(), json);
    Files.writeString(out.resolve("latest.md"), report.markdown());
    BarChart.write(out.resolve("latest.png"), report.summaries(), plan.mode(), started);
    System.err.println("== wrote " + out.resolve("latest.md") + ", latest.png, latest.json");
  }

  /** Draws the PNG again from a results JSON (after a change to the chart, without running the load again). */
  private static void redrawChart(Path json, Path png) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(json.toFile());
    List<Measurement> measurements = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode m : root.get("measurements")) {
      measurements.add(mapper.treeToValue(m, Measurement.class));
    }
    Report report = new Report(null, null, null, Map.of(), measurements, Map.of(), Map.of(), Map.of(), null, 0, 0);
    BarChart.write(png, report.summaries(), root.get("mode").asText(), Instant.parse(root.get("started").asText()));
  }

  private static String required(Map<String, String> opt, String key) {
    String v = opt.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
