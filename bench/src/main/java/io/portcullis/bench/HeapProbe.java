package io.portcullis.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Pushes (then pulls) one big generated blob to a Portcullis started with a small heap, while
 * {@code jstat -gc PID 100} samples its heap every 100 ms. Heap used is S0U+S1U+EU+OU, the peak is the
 * largest sample in each phase (sampling can miss a short spike between two samples; a push that does
 * not fit in the heap fails outright with an error instead).
 */
final class HeapProbe {
  record Result(long blobBytes, String maxHeapFlag, boolean pushOk, String pushError, double pushSeconds,
      double peakHeapPushMiB, boolean pullOk, String pullError, double pullSeconds, double peakHeapPullMiB,
      double peakCommittedMiB, long samples, double vmHwmMiB) {}

  private static final int IDLE = 0;
  private static final int PUSH = 1;
  private static final int PULL = 2;

  private HeapProbe() {}

  static Result run(RegistryClient client, long pid, long size) throws IOException, InterruptedException {
    GeneratedBlob blob = new GeneratedBlob(77_000_000L, size);
    System.err.printf("== heap probe: hashing the %d MiB blob%n", size >> 20);
    blob.digest();
    client.ping();
    String maxHeap = maxHeapFlag(pid);
    Process jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "100").redirectErrorStream(true).start();
    AtomicLongArray peakUsed = new AtomicLongArray(3);
    long[] peakCommitted = new long[1];
    long[] samples = new long[1];
    int[] phase = {IDLE};
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
        List<String> header = null;
        String line;
        while ((line = in.readLine()) != null) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 0 && f[0].equals("S0C")) {
            header = Arrays.asList(f);
            continue;
          }
          if (header == null || f.length != header.size()) {
            continue;
          }
          double used = value(header, f, "S0U") + value(header, f, "S1U") + value(header, f, "EU") + value(header, f, "OU");
          double committed = value(header, f, "S0C") + value(header, f, "S1C") + value(header, f, "EC") + value(header, f, "OC");
          int p = phase[0];
          peakUsed.accumulateAndGet(p, (long) used, Math::max);
          synchronized (peakCommitted) {
            peakCommitted[0] = Math.max(peakCommitted[0], (long) committed);
            samples[0]++;
          }
        }
      } catch (IOException e) {
        // jstat ended
      }
    }, "jstat-reader");
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(300);

    phase[0] = PUSH;
    long t0 = System.nanoTime();
    String pushError = null;
    try {
      System.err.printf("== heap probe: pushing %d MiB%n", size >> 20);
      client.pushMonolithic("bench/heap", blob);
    } catch (RuntimeException e) {
      pushError = e.getMessage();
    }
    double pushSeconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(300);

    phase[0] = PULL;
    t0 = System.nanoTime();
    String pullError = null;
    if (pushError == null) {
      try {
        System.err.printf("== heap probe: pulling %d MiB%n", size >> 20);
        client.pullBlob("bench/heap", blob.digest(), size);
      } catch (RuntimeException e) {
        pullError = e.getMessage();
      }
    } else {
      pullError = "not tried: the push failed";
    }
    double pullSeconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(300);
    phase[0] = IDLE;

    jstat.destroy();
    jstat.waitFor(5, TimeUnit.SECONDS);
    reader.join(2000);
    long hwm = ProcFs.statusKiB(pid, "VmHWM");
    synchronized (peakCommitted) {
      return new Result(size, maxHeap, pushError == null, pushError, pushSeconds, peakUsed.get(PUSH) / 1024.0,
          pullError == null, pullError, pullSeconds, peakUsed.get(PULL) / 1024.0, peakCommitted[0] / 1024.0,
          samples[0], hwm / 1024.0);
    }
  }

  private static double value(List<String> header, String[] f, String column) {
    int i = header.indexOf(column);
    return i < 0 ? 0 : Double.parseDouble(f[i]);
  }

  /** MaxHeapSize as the JVM reports it ({@code jcmd PID VM.flags}), to show the -Xmx really applied. */
  private static String maxHeapFlag(long pid) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "VM.flags").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(10, TimeUnit.SECONDS);
    for (String token : out.split("\\s+")) {
      if (token.startsWith("-XX:MaxHeapSize=")) {
        long bytes = Long.parseLong(token.substring("-XX:MaxHeapSize=".length()));
        return (bytes >> 20) + " MiB";
      }
    }
    return "unknown";
  }
}
