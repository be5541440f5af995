package io.portcullis.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the measurements into medians per workload and registry, the Portcullis/Distribution ratio, the
 * nginx ceiling for blob GETs, and the Markdown page. Every ratio below 1.0, every blob GET below 80% of
 * the nginx ceiling and every failed request gets a plain sentence.
 */
final class Report {
  static final String DISTRIBUTION = "Distribution";
  static final String PORTCULLIS = "Portcullis";
  static final String NGINX = "nginx";
  static final String GATE_OFF = "Portcullis gate off";
  static final String GATE_ON = "Portcullis gate on";
  /** The uncached gate decisions, timed against the gate-off Portcullis doing the same requests. */
  static final String UNCACHED = "gate-decision-uncached";
  /** The target for one uncached gate decision (the p50 latency it adds to a manifest GET). */
  static final double UNCACHED_TARGET_MILLIS = 5.0;

  /** True for the workloads that compare Portcullis gate off (baseline) with gate on (subject). */
  static boolean gateWorkload(String workload) {
    return workload.startsWith("image-pull-gate") || workload.equals(UNCACHED);
  }

  /**
   * The ratio a workload should reach: 1.0 against Distribution, 0.90 for gated pulls (a cost under
   * 10%); NaN for the uncached decisions, whose target is a latency, not a ratio.
   */
  static double ratioGoal(String workload) {
    if (workload.equals(UNCACHED)) {
      return Double.NaN;
    }
    return workload.startsWith("image-pull-gate") ? 0.9 : 1.0;
  }

  /** Medians over the rounds of one workload on one target. */
  record Stats(String target, double throughput, double p50Millis, double p99Millis, int rounds, long ops,
      long errors, String firstError, double serverCpuMillisPerOp) {}

  /** One workload: the baseline (Distribution, or the ungated Portcullis) against the subject. */
  record Summary(String workload, String description, String unit, Stats baseline, Stats subject, double ratio,
      Stats ceiling, List<String> findings) {}

  private final Plan plan;
  private final Instant started;
  private final Instant finished;
  private final Map<String, String> info;
  private final List<Measurement> measurements;
  private final Map<String, String> descriptions;
  private final Map<String, String> unavailable;
  private final Map<String, Double> peakRssMiB;
  private final HeapProbe.Result heap;
  private final double cpuOurs;
  private final double cpuOthers;
  private List<Summary> summaries;

  Report(Plan plan, Instant started, Instant finished, Map<String, String> info, List<Measurement> measurements,
      Map<String, String> descriptions, Map<String, String> unavailable, Map<String, Double> peakRssMiB,
      HeapProbe.Result heap, double cpuOurs, double cpuOthers) {
    this.plan = plan;
    this.started = started;
    this.finished = finished;
    this.info = info;
    this.measurements = measurements;
    this.descriptions = descriptions;
    this.unavailable = unavailable;
    this.peakRssMiB = peakRssMiB;
    this.heap = heap;
    this.cpuOurs = cpuOurs;
    this.cpuOthers = cpuOthers;
  }

  List<Summary> summaries() {
    if (summaries != null) {
      return summaries;
    }
    Set<String> workloads = new LinkedHashSet<>();
    for (Measurement m : measurements) {
      workloads.add(m.workload());
    }
    summaries = new ArrayList<>();
    for (String w : workloads) {
      boolean gate = gateWorkload(w);
      Stats baseline = stats(w, gate ? GATE_OFF : DISTRIBUTION);
      Stats subject = stats(w, gate ? GATE_ON : PORTCULLIS);
      Stats ceiling = stats(w, NGINX);
      String unit = measurements.stream().filter(m -> m.workload().equals(w)).findFirst().orElseThrow().unit();
      double ratio = baseline != null && subject != null && baseline.throughput() > 0
          ? subject.throughput() / baseline.throughput() : Double.NaN;
      List<String> findings = new ArrayList<>();
      if (w.equals(UNCACHED)) {
        double added = subject == null || baseline == null ? Double.NaN : subject.p50Millis() - baseline.p50Millis();
        if (added > UNCACHED_TARGET_MILLIS) {
          findings.add(String.format(Locale.ROOT, "An uncached gate decision adds %.1f ms to a manifest GET at p50 (%s vs %s); the target is at most %s ms.",
              added, ms(subject.p50Millis()), ms(baseline.p50Millis()), num(UNCACHED_TARGET_MILLIS)));
        }
      } else if (gate) {
        if (ratio < ratioGoal(w)) {
          findings.add(String.format(Locale.ROOT, "The gate costs %.0f%% of pull throughput on %s (%s vs %s %s); the goal is under 10%%.",
              (1 - ratio) * 100, w, num(subject.throughput()), num(baseline.throughput()), unit));
        }
      } else if (ratio < 1.0) {
        findings.add(String.format(Locale.ROOT, "Portcullis is slower than Distribution on %s: %s vs %s %s (ratio %.2f; the goal is at least 1.0).",
            w, num(subject.throughput()), num(baseline.throughput()), unit, ratio));
      }
      if (ceiling != null && ceiling.throughput() > 0) {
        for (Stats s : new Stats[] {subject, baseline}) {
          if (s != null && s.throughput() < 0.8 * ceiling.throughput()) {
            findings.add(String.format(Locale.ROOT, "%s's blob GET throughput on %s is %.0f%% of the nginx ceiling (%s vs %s MiB/s)%s.",
                s.target(), w, 100 * s.throughput() / ceiling.throughput(), num(s.throughput()), num(ceiling.throughput()),
                s == subject ? "; the goal is at least 80%" : ", for reference"));
          }
        }
      }
      for (Stats s : new Stats[] {baseline, subject, ceiling}) {
        if (s != null && s.errors() > 0) {
          findings.add(s.target() + " had " + s.errors() + " failed requests; the first: " + s.firstError());
        }
      }
      summaries.add(new Summary(w, descriptions.getOrDefault(w, ""), unit, baseline, subject, ratio, ceiling, findings));
    }
    return summaries;
  }

  private Stats stats(String workload, String target) {
    List<Measurement> ms = measurements.stream()
        .filter(m -> m.workload().equals(workload) && m.target().equals(target)).toList();
    if (ms.isEmpty()) {
      return null;
    }
    long errors = ms.stream().mapToLong(Measurement::errors).sum();
    String firstError = ms.stream().map(Measurement::firstError).filter(e -> e != null).findFirst().orElse(null);
    return new Stats(target, median(ms.stream().mapToDouble(Measurement::throughput).toArray()),
        median(ms.stream().mapToDouble(Measurement::p50Millis).toArray()),
        median(ms.stream().mapToDouble(Measurement::p99Millis).toArray()),
        ms.size(), ms.stream().mapToLong(Measurement::ops).sum(), errors, firstError,
        median(ms.stream().mapToDouble(Measurement::serverCpuMillisPerOp).toArray()));
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Portcullis vs CNCF Distribution: benchmark results\n\n");
    md.append("Generated by `bench/run").append(plan.mode().equals("quick") ? " --quick" : "").append("` on ")
        .append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (took ")
        .append(ChronoUnit.SECONDS.between(started, finished)).append(" s). Mode **").append(plan.mode())
        .append("**: ").append(plan.rounds()).append(plan.rounds() == 1 ? " round" : " rounds")
        .append(", the two registries alternating (Distribution first in odd rounds, Portcullis first in even ones, and within a round each workload cut into ")
        .append(plan.slices()).append(" slices that alternate between them); ")
        .append("every number is the median over the rounds. Ratio = Portcullis / Distribution throughput (higher is better for Portcullis).\n\n");
    for (Map.Entry<String, String> e : info.entrySet()) {
      md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    md.append(String.format(Locale.ROOT, "- CPU during the run: this benchmark's processes (load generator, both registries, nginx) used %.0f%% of the machine's CPU time, other processes %.0f%%.%n",
        cpuOurs * 100, cpuOthers * 100));
    if (cpuOthers > 0.05) {
      md.append("\n**The machine was shared with other build jobs during this run** (other processes took ")
          .append(String.format(Locale.ROOT, "%.0f%%", cpuOthers * 100))
          .append(" of its CPU time), so absolute numbers are noisy; the ratios compare runs interleaved in the same conditions.\n");
    }
    if (plan.mode().equals("quick")) {
      md.append("\nThis is a **quick** smoke run (one round, small counts, no 512 MiB blobs, ")
          .append(plan.heapProbeBytes() >> 20).append(" MiB heap probe): read it as a sanity check, not as the measurement.\n");
    }

    md.append("\n## Summary\n\n");
    md.append("| workload | unit | Distribution | Portcullis | ratio | nginx ceiling | Portcullis % of ceiling |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Summary s : summaries()) {
      boolean gateRow = gateWorkload(s.workload());
      md.append("| ").append(s.workload()).append(gateRow ? " (Portcullis gate off / gate on)" : "").append(" | ").append(s.unit()).append(" | ")
          .append(s.baseline() == null ? "-" : num(s.baseline().throughput())).append(" | ")
          .append(s.subject() == null ? "-" : num(s.subject().throughput())).append(" | ")
          .append(ratioCell(s.ratio(), ratioGoal(s.workload()))).append(" | ")
          .append(s.ceiling() == null ? "" : num(s.ceiling().throughput())).append(" | ")
          .append(s.ceiling() == null || s.subject() == null ? ""
              : String.format(Locale.ROOT, "%.0f%%", 100 * s.subject().throughput() / s.ceiling().throughput()))
          .append(" |\n");
    }
    for (Map.Entry<String, String> e : unavailable.entrySet()) {
      md.append("| ").append(e.getKey()).append(" | | not measured | not measured | | | |\n");
    }

    List<String> all = new ArrayList<>();
    for (Summary s : summaries()) {
      all.addAll(s.findings());
    }
    md.append("\n## Below target\n\n");
    if (all.isEmpty()) {
      md.append("Nothing: every ratio is at least 1.0 and every blob GET is within 80% of the nginx ceiling.\n");
    } else {
      for (String f : all) {
        md.append("- ").append(f).append('\n');
      }
    }

    md.append("\n## Memory\n\n");
    md.append("| server | peak RSS (VmHWM, whole run) |\n|---|---:|\n");
    for (Map.Entry<String, Double> e : peakRssMiB.entrySet()) {
      md.append("| ").append(e.getKey()).append(" | ").append(String.format(Locale.ROOT, "%.0f MiB", e.getValue())).append(" |\n");
    }
    if (heap != null) {
      md.append(String.format(Locale.ROOT, "%nHeap probe: a separate Portcullis started with `PORTCULLIS_JAVA_OPTS=-Xmx256m` "
              + "(the JVM reports MaxHeapSize %s) received a %d MiB monolithic push while `jstat -gc` sampled its heap every 100 ms (%d samples).%n%n",
          heap.maxHeapFlag(), heap.blobBytes() >> 20, heap.samples()));
      md.append("| phase | result | time | peak heap used |\n|---|---|---:|---:|\n");
      md.append(String.format(Locale.ROOT, "| push %d MiB | %s | %.1f s | %.0f MiB |%n", heap.blobBytes() >> 20,
          heap.pushOk() ? "201 Created" : "failed: " + heap.pushError(), heap.pushSeconds(), heap.peakHeapPushMiB()));
      md.append(String.format(Locale.ROOT, "| pull %d MiB | %s | %.1f s | %.0f MiB |%n", heap.blobBytes() >> 20,
          heap.pullOk() ? "200, every byte" : "failed: " + heap.pullError(), heap.pullSeconds(), heap.peakHeapPullMiB()));
      md.append(String.format(Locale.ROOT, "%nLargest committed heap seen: %.0f MiB; that JVM's peak RSS: %.0f MiB.%n",
          heap.peakCommittedMiB(), heap.vmHwmMiB()));
    }

    if (!unavailable.isEmpty()) {
      md.append("\n## Not measured yet\n\n");
      for (Map.Entry<String, String> e : unavailable.entrySet()) {
        md.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
      }
    }

    md.append("\n## Per workload\n");
    for (Summary s : summaries()) {
      md.append("\n### ").append(s.workload()).append("\n\n").append(s.description()).append("\n\n");
      md.append("| registry | throughput (").append(s.unit()).append(") | p50 latency | p99 latency | server CPU per operation | rounds | operations | errors |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Stats st : new Stats[] {s.baseline(), s.subject(), s.ceiling()}) {
        if (st == null) {
          continue;
        }
        md.append("| ").append(st.target()).append(st.target().equals(NGINX) ? " (ceiling)" : "").append(" | ")
            .append(num(st.throughput())).append(" | ").append(ms(st.p50Millis())).append(" | ")
            .append(ms(st.p99Millis())).append(" | ").append(ms(st.serverCpuMillisPerOp())).append(" | ")
            .append(st.rounds()).append(" | ").append(st.ops()).append(" | ")
            .append(st.errors()).append(" |\n");
      }
      md.append("\nRatio: ").append(Double.isNaN(s.ratio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", s.ratio())).append(".");
      if (s.workload().equals(UNCACHED) && s.baseline() != null && s.subject() != null && s.findings().isEmpty()) {
        md.append(String.format(Locale.ROOT, " Added by the gate at p50: %.2f ms (target: at most %s ms).",
            s.subject().p50Millis() - s.baseline().p50Millis(), num(UNCACHED_TARGET_MILLIS)));
      }
      for (String f : s.findings()) {
        md.append(' ').append(f);
      }
      md.append('\n');
    }

    md.append("\n## How these numbers are made\n\n");
    md.append("- Blob bodies (push, pull, chunks) go over plain sockets, one connection per request; metadata requests over Java's `HttpClient` with keep-alive. "
        + "Java's `HttpClient` moved loopback blob bodies at about half the rate curl gets from nginx on this machine, which would have hidden the servers' differences.\n");
    md.append("- Both registries run on 127.0.0.1 with filesystem storage in temporary directories on the same disk, no auth, no TLS. "
        + "Distribution is Debian's `docker-registry`; Portcullis is `./portcullis serve` built from this commit.\n");
    md.append("- One load generator (Java `HttpClient`, HTTP/1.1, no pause between requests) drives both; every loop is bounded "
        + "in count and time. Throughput counts payload bytes (MiB/s) or completed requests/operations per second of wall time. "
        + "Latency is per request (per image operation for the mixed workload), including reading the whole response body.\n");
    md.append("- Blobs are generated from a seed and streamed, never held whole in memory; digests are computed before the clock starts. "
        + "Pulls read blobs that were just written, so they come from the page cache for the registries and for nginx alike.\n");
    md.append("- Before the rounds, each registry gets a short unmeasured warm-up (manifest GET/HEAD/PUT, twenty 1 MiB push+pull) so the JVM's JIT is not measured.\n");
    md.append("- Server CPU per operation: the user+system CPU time of the server process (nginx: master and workers) during the run, "
        + "from /proc/PID/stat at 10 ms resolution, divided by the completed operations. It shows where a registry spends more work per request than the other.\n");
    md.append("- The load generator shares the machine's cores with the servers, so at concurrency 16/64 part of what is measured is the client; it is the same client for both registries.\n");
    return md.toString();
  }

  private static String ratioCell(double ratio, double goal) {
    if (Double.isNaN(ratio)) {
      return "n/a";
    }
    String r = String.format(Locale.ROOT, "%.2f", ratio);
    return ratio < goal ? "**" + r + "**" : r;
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String ms(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.2f ms", v);
  }
}
