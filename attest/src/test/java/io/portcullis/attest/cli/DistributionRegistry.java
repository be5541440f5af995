package io.portcullis.attest.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (CNCF Distribution 2.8) on a free loopback port with a temporary
 * filesystem root: a real registry for client tests. It has no referrers API.
 */
final class DistributionRegistry implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private final Process process;
  private final Path dir;
  final String address;

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  DistributionRegistry() throws Exception {
    dir = Files.createTempDirectory("portcullis-distribution");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    address = "127.0.0.1:" + port;
    Path cfg = dir.resolve("config.yml");
    Files.writeString(cfg, "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: "
        + dir.resolve("data") + "\n  delete:\n    enabled: true\nhttp:\n  addr: " + address + "\n");
    process = new ProcessBuilder(BINARY.toString(), "serve", cfg.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address + "/v2/").toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
