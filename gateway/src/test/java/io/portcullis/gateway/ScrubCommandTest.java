package io.portcullis.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.cli.Main;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portcullis scrub} finds a blob whose bytes were damaged on disk, and --repair takes it out of service. */
class ScrubCommandTest {
  private static String scrub(Path storage, int expectedExit, String... extra) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    String[] args = new String[extra.length + 3];
    args[0] = "scrub";
    args[1] = "--storage";
    args[2] = storage.toString();
    System.arraycopy(extra, 0, args, 3, extra.length);
    assertEquals(expectedExit, cli.execute(args), out::toString);
    return out.toString();
  }

  @Test
  void damagedBlobsAreReportedAndQuarantined(@TempDir Path dir) throws Exception {
    Image img;
    try (RegistryTestClient r = RegistryTestClient.start(dir)) {
      img = r.pushImage("team/app", "v1", 2);
    }
    assertTrue(scrub(dir, 0).contains("0 corrupt"));
    String layer = Oci.sha256(img.layers().get(0));
    Path file = dir.resolve("blobs/sha256/" + layer.substring(7, 9) + "/" + layer.substring(7));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    String report = scrub(dir, 1);
    assertTrue(report.contains("corrupt " + layer) && report.contains("1 corrupt"), report);
    scrub(dir, 0, "--repair");
    assertTrue(Files.exists(dir.resolve("quarantine/sha256/" + layer.substring(7))));
    assertTrue(scrub(dir, 0).contains("0 corrupt"), "nothing corrupt is left in service");
    try (RegistryTestClient r = RegistryTestClient.start(dir)) {
      assertEquals(404, r.get("/v2/team/app/blobs/" + layer).status(), "a quarantined blob is not served");
      r.uploadBlob("team/app", img.layers().get(0));
      r.assertBlob("team/app", layer, img.layers().get(0));
    }
  }
}
