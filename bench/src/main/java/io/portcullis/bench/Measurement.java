package io.portcullis.bench;

/**
 * One workload run against one target in one round. Throughput counts only successful operations.
 * {@code serverCpuMillisPerOp} is the CPU time (user + system, from /proc, 100 ticks a second) the
 * server process and its children spent during the run, per completed operation.
 */
record Measurement(
    String workload,
    String target,
    int round,
    String unit,
    double throughput,
    double p50Millis,
    double p99Millis,
    long ops,
    long errors,
    String firstError,
    double seconds,
    double serverCpuMillisPerOp) {

  static Measurement of(String workload, String target, int round, String unit, LoadRun.Result r, long serverTicks) {
    double throughput;
    if (unit.equals("MiB/s")) {
      throughput = r.bytes() / (double) (1 << 20) / r.seconds();
    } else {
      throughput = r.ops() / r.seconds();
    }
    return new Measurement(workload, target, round, unit, throughput, r.percentileMillis(0.50),
        r.percentileMillis(0.99), r.ops(), r.errors(), r.firstError(), r.seconds(),
        serverTicks < 0 || r.ops() == 0 ? Double.NaN : serverTicks * 10.0 / r.ops());
  }
}
