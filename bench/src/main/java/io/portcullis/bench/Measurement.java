package io.portcullis.bench;

/** One workload run against one target in one round. Throughput counts only successful operations. */
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
    double seconds) {

  static Measurement of(String workload, String target, int round, String unit, LoadRun.Result r) {
    double throughput;
    if (unit.equals("MiB/s")) {
      throughput = r.bytes() / (double) (1 << 20) / r.seconds();
    } else {
      throughput = r.ops() / r.seconds();
    }
    return new Measurement(workload, target, round, unit, throughput, r.percentileMillis(0.50),
        r.percentileMillis(0.99), r.ops(), r.errors(), r.firstError(), r.seconds());
  }
}
