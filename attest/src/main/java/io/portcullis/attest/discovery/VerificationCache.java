package io.portcullis.attest.discovery;

import io.portcullis.attest.report.VerificationEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded LRU cache of verification results, keyed by (subject, signature artifact digest, layer,
 * trust policies and their revisions). Signature artifacts are content-addressed, so an entry never
 * goes stale while the policies keep their revisions. Thread-safe.
 */
public final class VerificationCache {
  /** The cache key. */
  public record Key(String subjectDigest, String artifactDigest, int layer, String policyRevisions) {}

  private final Map<Key, List<VerificationEntry>> entries;
  private long hits;
  private long misses;

  public VerificationCache(int maxEntries) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, List<VerificationEntry>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  public synchronized List<VerificationEntry> get(Key key) {
    List<VerificationEntry> v = entries.get(key);
    if (v == null) {
      misses++;
    } else {
      hits++;
    }
    return v;
  }

  public synchronized void put(Key key, List<VerificationEntry> value) {
    entries.put(key, List.copyOf(value));
  }

  public synchronized long hits() {
    return hits;
  }

  public synchronized long misses() {
    return misses;
  }

  public synchronized int size() {
    return entries.size();
  }
}
