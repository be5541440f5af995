package io.portcullis.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reclaims space in two named steps:
 *
 * <ol>
 *   <li>{@link #removeUnreferencedLinks}: a blob stops being visible in a repository when no manifest of
 *       that repository references it (config, layer, child) and it is not a manifest itself;
 *   <li>{@link #removeUnlinkedBlobs}: a stored blob is deleted when no repository sees it any more.
 * </ol>
 *
 * A dry run counts the links of step 1 and the blobs no repository sees already; blobs that step 1
 * would free are counted by the run after it. It does not delete manifests, tags or referrers (untagged manifests stay), nor anything younger than
 * the grace period, so that it can run while the registry serves: a push in progress has linked its
 * blobs but not yet pushed the manifest that references them.
 */
public final class GarbageCollector {
  private final Storage storage;
  private final Duration grace;

  public GarbageCollector(Storage storage, Duration grace) {
    this.storage = storage;
    this.grace = grace;
  }

  /** What a run removed. */
  public record Result(long links, long blobs, long bytes) {}

  public Result run(boolean dryRun) throws IOException {
    long links = removeUnreferencedLinks(dryRun);
    AtomicLong blobs = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    removeUnlinkedBlobs(dryRun, blobs, bytes);
    return new Result(links, blobs.get(), bytes.get());
  }

  /** Step 1; returns the number of links removed (or, in a dry run, that would be). */
  long removeUnreferencedLinks(boolean dryRun) {
    return storage.metadata().deleteUnreferencedLinks(Instant.now().minus(grace), dryRun);
  }

  /** Step 2: blob files no repository links, stored before the grace period. */
  void removeUnlinkedBlobs(boolean dryRun, AtomicLong count, AtomicLong bytes) throws IOException {
    Instant cutoff = Instant.now().minus(grace);
    try {
      storage.blobs().forEachBlob(d -> {
        try {
          if (!storage.metadata().repositoriesWithBlob(d).isEmpty()) return;
          if (storage.blobs().lastStored(d).map(t -> !t.isBefore(cutoff)).orElse(true)) return;
          long size = storage.blobs().size(d).orElse(0);
          // Checked again just before deleting: a push may have linked it in the meantime.
          if (!storage.metadata().repositoriesWithBlob(d).isEmpty()) return;
          if (dryRun || storage.blobs().delete(d)) {
            count.incrementAndGet();
            bytes.addAndGet(size);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

}
