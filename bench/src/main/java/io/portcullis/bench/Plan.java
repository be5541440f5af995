package io.portcullis.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big and how long: the full run, or the quick smoke run. Within a round each workload is cut into
 * {@code slices} slices that alternate between the registries (never more slices than requests).
 */
record Plan(
    String mode,
    int rounds,
    int slices,
    List<BlobSize> blobSizes,
    int chunkedBlobMiB,
    int chunkMiB,
    int chunkedPushes,
    List<Integer> concurrencies,
    Duration metadataTime,
    long metadataMaxOps,
    int mixedConcurrency,
    Duration mixedTime,
    long heapProbeBytes) {

  /** One blob size: how many pushes and pulls of it each registry gets per round. */
  record BlobSize(String label, long bytes, int pushes, int pulls) {}

  static final Duration BLOB_TIME_LIMIT = Duration.ofSeconds(120);

  static Plan full() {
    return new Plan("full", 3, 5,
        List.of(new BlobSize("1MiB", 1L << 20, 40, 40),
            new BlobSize("64MiB", 64L << 20, 4, 4),
            new BlobSize("512MiB", 512L << 20, 1, 2)),
        64, 8, 3,
        List.of(1, 16, 64), Duration.ofSeconds(5), 50_000,
        16, Duration.ofSeconds(10),
        2L << 30);
  }

  static Plan quick() {
    return new Plan("quick", 1, 3,
        List.of(new BlobSize("1MiB", 1L << 20, 10, 10),
            new BlobSize("64MiB", 64L << 20, 2, 2)),
        64, 8, 1,
        List.of(1, 16, 64), Duration.ofMillis(1500), 20_000,
        16, Duration.ofSeconds(3),
        512L << 20);
  }
}
