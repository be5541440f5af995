package io.portcullis.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one operation over and over from {@code concurrency} threads, with no pause between requests,
 * until {@code maxOps} operations were started or {@code maxTime} has passed, whichever comes first.
 * Each operation's wall time is recorded; a failed operation is counted (and the first failure kept)
 * but not timed.
 */
final class LoadRun {
  /** One operation; returns the payload bytes it moved (0 for metadata requests). */
  interface Operation {
    long run(int worker, long index) throws Exception;
  }

  record Result(long ops, long errors, String firstError, long bytes, double seconds, long[] latenciesNanos) {
    /** Several runs of the same workload on the same target as one: counts and times added, latencies pooled. */
    static Result merge(List<Result> parts) {
      long ops = 0;
      long errors = 0;
      long bytes = 0;
      double seconds = 0;
      String firstError = null;
      int total = 0;
      for (Result r : parts) {
        total += r.latenciesNanos.length;
      }
      long[] all = new long[total];
      int at = 0;
      for (Result r : parts) {
        ops += r.ops;
        errors += r.errors;
        bytes += r.bytes;
        seconds += r.seconds;
        if (firstError == null) {
          firstError = r.firstError;
        }
        System.arraycopy(r.latenciesNanos, 0, all, at, r.latenciesNanos.length);
        at += r.latenciesNanos.length;
      }
      Arrays.sort(all);
      return new Result(ops, errors, firstError, bytes, seconds, all);
    }

    double percentileMillis(double q) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * latenciesNanos.length);
      return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, rank - 1))] / 1e6;
    }
  }

  private LoadRun() {}

  static Result run(int concurrency, long maxOps, Duration maxTime, Operation op) {
    AtomicLong started = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    String[] firstError = new String[1];
    List<long[]> perWorker = new ArrayList<>();
    int[] counts = new int[concurrency];
    long begin = System.nanoTime();
    long deadline = begin + maxTime.toNanos();
    Thread[] threads = new Thread[concurrency];
    for (int w = 0; w < concurrency; w++) {
      long[] latencies = new long[(int) Math.min(maxOps, 200_000)];
      perWorker.add(latencies);
      int worker = w;
      threads[w] = new Thread(() -> {
        while (System.nanoTime() < deadline) {
          long index = started.getAndIncrement();
          if (index >= maxOps) {
            break;
          }
          long t0 = System.nanoTime();
          try {
            long moved = op.run(worker, index);
            long elapsed = System.nanoTime() - t0;
            bytes.addAndGet(moved);
            if (counts[worker] < latencies.length) {
              latencies[counts[worker]++] = elapsed;
            }
          } catch (Exception | Error e) {
            errors.incrementAndGet();
            synchronized (firstError) {
              if (firstError[0] == null) {
                firstError[0] = String.valueOf(e.getMessage());
              }
            }
          }
        }
      }, "load-" + w);
      threads[w].start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int at = 0;
    for (int w = 0; w < concurrency; w++) {
      System.arraycopy(perWorker.get(w), 0, all, at, counts[w]);
      at += counts[w];
    }
    Arrays.sort(all);
    return new Result(total, errors.get(), firstError[0], bytes.get(), seconds, all);
  }
}
