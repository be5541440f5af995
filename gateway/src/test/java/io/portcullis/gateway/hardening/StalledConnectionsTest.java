package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients that stall in the middle of a request body (a "slowloris"), against a registry with the
 * default idle timeout: each holds a request thread while it stalls, and more of them than there are
 * threads must not take the registry down for the whole idle timeout.
 */
class StalledConnectionsTest {
  /** More than the server's request threads (250). */
  static final int STALLED = 300;

  @Test
  void moreStalledUploadsThanThreadsDoNotStopTheRegistryForLong(@TempDir Path dir) throws Exception {
    List<Socket> stalled = new ArrayList<>();
    // the default idle timeout (30 s): without the low-resources cut-off, the registry answers only after it
    try (RegistryTestClient registry = RegistryTestClient.start(dir, cfg -> cfg)) {
      try {
        for (int i = 0; i < STALLED; i++) {
          Socket s = new Socket(registry.baseUri().getHost(), registry.port());
          OutputStream out = s.getOutputStream();
          out.write(("PUT /v2/slow/loris/manifests/t" + i + " HTTP/1.1\r\nHost: " + registry.hostPort()
              + "\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: 1048576\r\n\r\n{\"schema")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          stalled.add(s);
        }
        long start = System.nanoTime();
        Resp r = registry.get("/v2/");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(200, r.status(), r::toString);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "the registry answered only after " + took);
      } finally {
        for (Socket s : stalled) s.close();
      }
    }
  }
}
