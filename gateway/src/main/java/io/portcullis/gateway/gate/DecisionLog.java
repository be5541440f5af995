package io.portcullis.gateway.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every decision the gate makes: appended as one JSON line to {@code decisions.jsonl} in the storage
 * directory, and the most recent ones kept in memory for {@code GET /v2/_portcullis/ext/decisions}.
 *
 * <p>A request thread only queues its entry (no lock, no formatting). The entries are turned into lines
 * and written in order, in one batch, by the flusher every 200 ms, at once when a denial is recorded (a
 * refusal is on disk before the client hears it), before every query and on close. A batch that cannot
 * be written (a full disk) is cut off the file again, so that the file never holds a broken line, and
 * kept for the next try (up to {@link #MAX_PENDING_CHARS}; beyond that the waiting lines are given up, and
 * the log says how many).
 */
public final class DecisionLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Decisions kept in memory for the endpoint; the file keeps them all. */
  public static final int IN_MEMORY = 10_000;
  /** Lines waiting for the file while it cannot be written, at most (about 8,000 decisions). */
  static final int MAX_PENDING_CHARS = 4 * 1024 * 1024;

  private final ConcurrentLinkedQueue<Entry> queued = new ConcurrentLinkedQueue<>();
  private final FileChannel out;
  /** The length of the file up to its last whole line. */
  private long writtenSize;
  private final StringBuilder pending = new StringBuilder();
  private long pendingLines;
  private long lostLines;
  private boolean failing;
  private final Deque<ObjectNode> recent = new ArrayDeque<>();
  private final java.util.concurrent.ScheduledExecutorService flusher;
  private long nextId = 1;

  /** Appends to {@code file} (null: memory only). */
  public DecisionLog(Path file) throws IOException {
    this.out = file == null ? null : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    this.writtenSize = out == null ? 0 : out.size();
    this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "decision-log-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(this::drain, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** What one decision was about, and when it was made. */
  public record Entry(String action, String repository, String reference, String digest, String user, String clientIp,
      Decision decision, Instant time) {
    public Entry(String action, String repository, String reference, String digest, String user, String clientIp, Decision decision) {
      this(action, repository, reference, digest, user, clientIp, decision, Instant.now());
    }
  }

  public void record(Entry e) {
    queued.add(e);
    if (!e.decision().allowed()) {
      LOG.info("denied {} {} {} for {}: {}", e.action(), e.repository(), e.reference(), e.user(), e.decision().deny());
      drain();
    } else if (!e.decision().warn().isEmpty() && !e.decision().cached()) {
      // Once per decision made, not on every request answered from the cache.
      LOG.info("allowed {} {} {} for {} with warnings: {}", e.action(), e.repository(), e.reference(), e.user(), e.decision().warn());
    }
  }

  /** Numbers and keeps every queued entry, in the order they were recorded, then writes the waiting lines. */
  private synchronized void drain() {
    Entry e;
    while ((e = queued.poll()) != null) {
      ObjectNode line = line(e);
      recent.addLast(line);
      if (recent.size() > IN_MEMORY) recent.removeFirst();
      if (out != null) {
        pending.append(line).append('\n');
        pendingLines++;
      }
    }
    write();
  }

  private void write() {
    if (out == null || pending.length() == 0) return;
    ByteBuffer bytes = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
    try {
      while (bytes.hasRemaining()) out.write(bytes);
      writtenSize += bytes.limit();
      pending.setLength(0);
      pendingLines = 0;
      if (failing) {
        LOG.warn("the decision log is written again{}", lostLines > 0 ? "; " + lostLines + " decision(s) could not be kept" : "");
        failing = false;
        lostLines = 0;
      }
    } catch (IOException ex) {
      try {
        out.truncate(writtenSize); // no half line stays in the file
      } catch (IOException truncateFailure) {
        ex.addSuppressed(truncateFailure);
      }
      if (!failing) LOG.error("cannot write the decision log (decisions wait in memory and are written when it can be): {}", ex.getMessage());
      failing = true;
      if (pending.length() > MAX_PENDING_CHARS) {
        lostLines += pendingLines;
        pending.setLength(0);
        pendingLines = 0;
      }
    }
  }

  private ObjectNode line(Entry e) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", nextId++);
    line.put("time", e.time().toString());
    line.put("user", e.user());
    line.put("client", e.clientIp());
    line.put("action", e.action());
    line.put("repository", e.repository());
    line.put("reference", e.reference());
    line.put("digest", e.digest());
    line.put("allowed", e.decision().allowed());
    ArrayNode deny = line.putArray("deny");
    e.decision().deny().forEach(deny::add);
    ArrayNode warn = line.putArray("warn");
    e.decision().warn().forEach(warn::add);
    line.put("revision", e.decision().revision());
    line.put("evaluationMicros", e.decision().evaluationMicros());
    line.put("cached", e.decision().cached());
    return line;
  }

  /** Up to {@code limit} decisions with an id greater than {@code afterId} that match, oldest first. */
  public synchronized List<ObjectNode> query(Predicate<ObjectNode> filter, long afterId, int limit) {
    drain();
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode line : recent) {
      if (line.path("id").asLong() <= afterId || !filter.test(line)) continue;
      out.add(line);
      if (out.size() >= limit) break;
    }
    return out;
  }

  @Override
  public synchronized void close() {
    flusher.shutdownNow();
    drain();
    if (out == null) return;
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("cannot close the decision log: {}", e.getMessage());
    }
  }
}
