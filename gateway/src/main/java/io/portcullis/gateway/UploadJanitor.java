package io.portcullis.gateway;

import io.portcullis.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Discards uploads that stopped receiving bytes, with their metadata, and reclaims their space. */
final class UploadJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadJanitor.class);
  private final Storage storage;
  private final Duration idleTimeout;
  private final ScheduledExecutorService timer;

  UploadJanitor(Storage storage, Duration idleTimeout) {
    this.storage = storage;
    this.idleTimeout = idleTimeout;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "upload-janitor");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(200, Math.min(Duration.ofMinutes(10).toMillis(), idleTimeout.toMillis() / 2));
    timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Discards the upload files that no upload session owns: a monolithic upload or a manifest's bytes are
   * written through an upload file without a session, so a crash in the middle leaves one behind, and so
   * does a crash between creating a session's file and recording the session. Run before serving, when no
   * upload is in progress; returns how many were discarded.
   */
  static int discardOrphans(Storage storage) throws IOException {
    int discarded = 0;
    for (String id : storage.blobs().uploadsIdleSince(Instant.now())) {
      if (storage.metadata().uploadRepository(id).isPresent()) continue;
      try {
        if (storage.blobs().deleteUpload(id)) discarded++;
      } catch (IllegalArgumentException e) {
        // not an upload's name: a stray file, not ours to remove
      }
    }
    if (discarded > 0) LOG.info("discarded {} upload file(s) left without an upload session (by a crash)", discarded);
    return discarded;
  }

  /** One pass: every upload idle for longer than the timeout is discarded. */
  void sweep() {
    try {
      List<String> idle = storage.blobs().uploadsIdleSince(Instant.now().minus(idleTimeout));
      long bytes = 0;
      for (String id : idle) {
        bytes += storage.blobs().uploadSize(id).orElse(0);
        storage.blobs().deleteUpload(id);
        storage.metadata().deleteUpload(id);
      }
      if (!idle.isEmpty()) LOG.info("discarded {} upload(s) idle for more than {}, reclaiming {} bytes", idle.size(), idleTimeout, bytes);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot sweep idle uploads: {}", e.toString());
    }
  }

  @Override
  public void close() { timer.shutdownNow(); }
}
