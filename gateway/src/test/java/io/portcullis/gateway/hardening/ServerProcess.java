package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code portcullis serve} in a JVM of its own (the test's classpath), so that a test can kill it the hard
 * way. The port is 0; the bound address is read from the line {@code serve} prints when it is ready.
 * Everything the server prints goes to {@code log}.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("portcullis: serving on (http://\\S+?),");
  /** A JVM killed by SIGKILL exits with 128 + 9. */
  static final int KILLED_BY_SIGKILL = 137;

  private final Process process;
  private final Path log;
  private final URI baseUri;

  private ServerProcess(Process process, Path log, URI baseUri) {
    this.process = process;
    this.log = log;
    this.baseUri = baseUri;
  }

  /** Starts a server over {@code storage} and waits (at most a minute) until it serves. */
  static ServerProcess start(Path storage, Path log) throws IOException, InterruptedException {
    // C1 only and the serial collector: the quickest start on a busy machine (the server's speed is not tested here).
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", System.getProperty("java.class.path"),
        "io.portcullis.gateway.cli.Main", "serve", "--port", "0", "--storage", storage.toString()));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher m = READY.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
      if (m.find()) return new ServerProcess(p, log, URI.create(m.group(1)));
      if (!p.isAlive()) throw new AssertionError("the server exited with " + p.exitValue() + " before serving:\n" + tail(log));
      Thread.sleep(20);
    }
    p.destroyForcibly().waitFor();
    throw new AssertionError("the server did not start serving within a minute:\n" + tail(log));
  }

  URI baseUri() { return baseUri; }

  long pid() { return process.pid(); }

  /**
   * Kills the server with SIGKILL (what {@link Process#destroyForcibly()} sends on Linux: no shutdown
   * hook, no flush, no close) and checks that this is how it died.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("the server survived SIGKILL");
    assertEquals(KILLED_BY_SIGKILL, process.exitValue(), "the server must die of SIGKILL, not exit on its own");
  }

  /** The last lines the server printed, for failure messages. */
  String logTail() { return tail(log); }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
