package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness. A registry runs in a JVM of its own while several clients push blobs (monolithic and
 * chunked), put manifests with tags, move tags and delete tags, manifests and blobs; at a random moment it
 * is killed with SIGKILL, then started again on the same storage, and checked:
 *
 * <ul>
 *   <li>on disk: {@code portcullis scrub} finds no corrupt blob, every file under {@code blobs/} hashes to
 *       its name, SQLite passes its integrity and foreign-key checks, every blob the metadata links exists,
 *       and no upload file is left without its upload session;
 *   <li>over HTTP: everything acknowledged before the kill is there (the one operation in flight may or may
 *       not have happened, but wholly or not at all); every tag resolves to a manifest whose bytes match its
 *       digest and whose blobs are served with matching bytes; deleted things stay deleted; an interrupted
 *       chunked upload resumes from where the registry says it is (or, if the kill hit its completion, is
 *       unknown and a new upload of the same content succeeds);
 *   <li>the registry accepts new pushes (the next round's workload, and a final image push and pull).
 * </ul>
 *
 * The seed of the random choices (workload and kill moments) is printed; {@code -Dcrash.seed=N} replays the
 * choices (thread timing still varies), {@code -Dcrash.iterations=N} runs more rounds (default 8).
 */
class CrashRecoveryTest {
  private static final int CLIENTS = 4;
  private static final int ITERATIONS = Math.max(1, Integer.getInteger("crash.iterations", 8));

  @TempDir
  Path dir;

  @Test
  void sigkillAtRandomMomentsLeavesAWholeRegistryThatRecovers() throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    System.out.println("CrashRecoveryTest: seed " + seed + " (replay with -Dcrash.seed=" + seed + "), " + ITERATIONS + " kills");
    SplittableRandom random = new SplittableRandom(seed);
    Path storage = dir.resolve("storage");
    List<RepositoryWorkload> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) clients.add(new RepositoryWorkload("crash/c" + i, random.split()));
    int opsInFlightAtKills = 0;
    for (int round = 0; round <= ITERATIONS; round++) {
      Path log = dir.resolve("server-" + round + ".log");
      long started = System.nanoTime();
      try (ServerProcess server = ServerProcess.start(storage, log)) {
        long serving = System.nanoTime();
        RegistryTestClient http = RegistryTestClient.connect(server.baseUri());
        try {
          if (round > 0) checkAfterRestart(storage, http, clients);
          long checked = System.nanoTime();
          if (round == ITERATIONS) {
            Image img = http.pushImage("crash/final", "v1", 3);
            for (byte[] layer : img.layers()) http.assertBlob("crash/final", Oci.sha256(layer), layer);
            break;
          }
          long killAfterMillis = 150 + random.nextInt(1200);
          List<String> failures = runUntilKilled(server, http, clients, killAfterMillis);
          assertEquals(List.of(), failures, "answers the registry gave while it was up");
          StringBuilder summary = new StringBuilder("round " + round + ": started in " + (serving - started) / 1_000_000
              + " ms, checked in " + (checked - serving) / 1_000_000 + " ms, SIGKILL after " + killAfterMillis + " ms;");
          for (RepositoryWorkload c : clients) {
            summary.append(' ').append(c.repo()).append(": ").append(c.acknowledged()).append(" acknowledged, in flight ").append(c.inFlight()).append(';');
            if (c.hadInFlight()) opsInFlightAtKills++;
          }
          System.out.println(summary);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError("round " + round + " (seed " + seed + "): " + e.getMessage() + "\nserver log:\n" + server.logTail(), e);
        }
      }
    }
    assertTrue(opsInFlightAtKills > 0, "no kill hit an operation in flight: the harness tested nothing");
  }

  /** Runs every client in a thread of its own, kills the server after {@code millis}, and waits for the clients. */
  private static List<String> runUntilKilled(ServerProcess server, RegistryTestClient http, List<RepositoryWorkload> clients, long millis)
      throws InterruptedException {
    AtomicBoolean killed = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (RepositoryWorkload c : clients) {
      Thread t = new Thread(() -> {
        try {
          c.run(http);
        } catch (UncheckedIOException e) {
          if (!killed.get()) failures.add(c.repo() + ": a request failed while the server was up: " + e);
        } catch (RuntimeException | AssertionError e) {
          failures.add(c.repo() + ": " + e);
        }
      }, "crash-client-" + c.repo());
      threads.add(t);
      t.start();
    }
    Thread.sleep(millis);
    killed.set(true);
    server.kill();
    for (Thread t : threads) {
      t.join(60_000);
      if (t.isAlive()) fail(t.getName() + " did not stop after the server died");
    }
    return new ArrayList<>(failures);
  }

  private static void checkAfterRestart(Path storage, RegistryTestClient http, List<RepositoryWorkload> clients) throws Exception {
    Set<String> sessions = StorageChecks.metadataIsConsistent(storage);
    for (String file : StorageChecks.uploadFiles(storage)) {
      assertTrue(sessions.contains(file), () -> "an upload file without an upload session was left after the restart: " + file);
    }
    StorageChecks.blobFilesMatchTheirNames(storage);
    StorageChecks.scrubFindsNothingCorrupt(storage);
    Set<String> blobsChecked = new HashSet<>();
    for (RepositoryWorkload c : clients) c.verify(http, blobsChecked);
  }
}
