package io.portcullis.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How much of the machine's CPU time went to this benchmark's processes (the load generator, the
 * servers, nginx) and how much to everything else during the run: on a shared machine the rest is
 * other people's builds, and it makes absolute numbers noisy.
 */
final class CpuShare {
  private final List<Long> roots;
  private final long[] machineAtStart;
  private final long oursAtStart;

  CpuShare(List<Long> roots) {
    this.roots = new ArrayList<>(roots);
    this.machineAtStart = ProcFs.machineTicks();
    this.oursAtStart = oursNow();
  }

  private long oursNow() {
    Set<Long> pids = new LinkedHashSet<>();
    for (long root : roots) {
      pids.addAll(ProcFs.withDescendants(root));
    }
    long sum = 0;
    for (long pid : pids) {
      sum += ProcFs.processTicks(pid);
    }
    return sum;
  }

  /** {ours, others} as fractions of all CPU time available during the run (cores x wall time). */
  double[] shares() {
    long[] now = ProcFs.machineTicks();
    double total = now[1] - machineAtStart[1];
    double busy = now[0] - machineAtStart[0];
    double ours = oursNow() - oursAtStart;
    if (total <= 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {ours / total, Math.max(0, busy - ours) / total};
  }
}
