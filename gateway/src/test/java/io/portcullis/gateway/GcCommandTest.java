package io.portcullis.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** {@code portcullis gc} reclaims what no manifest references, keeps what one does, and spares recent pushes. */
class GcCommandTest {
  private static String gc(Path storage, String... extra) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    String[] args = new String[extra.length + 3];
    args[0] = "gc";
    args[1] = "--storage";
    args[2] = storage.toString();
    System.arraycopy(extra, 0, args, 3, extra.length);
    assertEquals(0, cli.execute(args), out::toString);
    return out.toString();
  }

  private static Path blobFile(Path storage, String digest) {
    return storage.resolve("blobs/sha256/" + digest.substring(7, 9) + "/" + digest.substring(7));
  }

  @Test
  void unreferencedBlobsGoAndReferencedOnesStay(@TempDir Path dir) throws Exception {
    Image kept;
    Image deleted;
    String orphan;
    try (RegistryTestClient r = RegistryTestClient.start(dir)) {
      kept = r.pushImage("team/kept", "v1", 1);
      deleted = r.pushImage("team/gone", "v1", 1);
      orphan = r.uploadBlob("team/orphan", Oci.randomBytes(5000));
      assertEquals(202, r.delete("/v2/team/gone/manifests/" + deleted.digest()).status());
    }
    assertTrue(gc(dir).contains("removed 0 unreferenced blob links and 0 blobs"), "within the grace period nothing goes");
    assertTrue(gc(dir, "--grace-seconds", "0", "--dry-run").contains("would remove 3 unreferenced blob links"));
    assertTrue(Files.exists(blobFile(dir, orphan)), "a dry run changes nothing");
    gc(dir, "--grace-seconds", "0");
    gc(dir, "--grace-seconds", "0");
    String goneLayer = Oci.sha256(deleted.layers().get(0));
    assertFalse(Files.exists(blobFile(dir, goneLayer)), "the deleted image's layer is reclaimed");
    assertFalse(Files.exists(blobFile(dir, orphan)), "a blob no manifest ever referenced is reclaimed");
    try (RegistryTestClient r = RegistryTestClient.start(dir)) {
      assertEquals(200, r.get("/v2/team/kept/manifests/v1", "Accept", Oci.ACCEPT_ALL).status());
      r.assertBlob("team/kept", Oci.sha256(kept.layers().get(0)), kept.layers().get(0));
      assertEquals(404, r.get("/v2/team/gone/blobs/" + goneLayer).status());
    }
  }
}
