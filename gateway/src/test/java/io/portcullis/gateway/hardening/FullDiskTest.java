package io.portcullis.gateway.hardening;

import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry whose storage is a 16 MiB tmpfs, filled up while it serves: writes that do not fit answer 507
 * with a message that says the disk is full (blob uploads, chunks, manifest PUTs, and metadata writes that
 * fail with SQLITE_FULL alike), reads go on, nothing partial becomes visible, and once space is freed the
 * registry takes pushes again without a restart, with everything stored before still intact.
 *
 * <p>Mounting needs root (CI runs as root); as another user the test is skipped and says so.
 */
class FullDiskTest {
  @TempDir
  static Path dir;

  private static Path mount;
  private static boolean mounted;
  private static RegistryTestClient registry;

  @BeforeAll
  static void mountSmallTmpfsAndStart() throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "FullDiskTest mounts a tmpfs: Linux only");
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(Integer.valueOf(0).equals(uid), "FullDiskTest mounts a 16 MiB tmpfs, which needs root; skipped for uid " + uid);
    mount = Files.createDirectory(dir.resolve("small-disk"));
    run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
    mounted = true;
    registry = RegistryTestClient.start(mount.resolve("storage"));
  }

  @AfterAll
  static void stopAndUnmount() throws Exception {
    try {
      if (registry != null) registry.close();
    } finally {
      if (mounted && !tryRun("umount", mount.toString())) run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aFullDiskAnswers507KeepsServingReadsLeavesNothingPartialAndRecoversWhenSpaceReturns() throws Exception {
    Path storage = mount.resolve("storage");
    String repo = "disk/app";
    Image v1 = registry.pushImage(repo, "v1", 2);
    // An upload in progress, to be resumed after the disk was full.
    byte[] open = Oci.randomBytes(300 * 1024);
    Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
    assertEquals(202, post.status(), post::toString);
    Resp first = registry.patch(post.headerOrNull("Location"), Arrays.copyOfRange(open, 0, 100 * 1024),
        "Content-Type", "application/octet-stream", "Content-Range", "0-102399");
    assertEquals(202, first.status(), first::toString);
    String openUpload = first.headerOrNull("Location");

    // Nearly fill the disk with a file of our own, then push blobs until one does not fit.
    Path filler = mount.resolve("filler");
    writeFiller(filler, Files.getFileStore(mount).getUsableSpace() - 1536 * 1024);
    byte[] refused = null;
    Resp full = null;
    for (int i = 0; i < 32 && full == null; i++) {
      byte[] blob = Oci.randomBytes(256 * 1024);
      Resp r = registry.post("/v2/" + repo + "/blobs/uploads/?digest=" + Oci.sha256(blob), blob, "Content-Type", "application/octet-stream");
      if (r.status() != 201) {
        full = r;
        refused = blob;
      }
    }
    assertDiskFull(full);
    assertEquals(404, registry.head("/v2/" + repo + "/blobs/" + Oci.sha256(refused)).status(), "a blob that did not fit is not visible");

    // Fill the rest. Before that, empty SQLite's write-ahead log, so that the next metadata write needs new
    // space (SQLITE_FULL) instead of reusing room the log already had.
    checkpointAndTruncateWal(storage);
    writeFiller(filler, Long.MAX_VALUE);

    // A chunk that does not fit is not kept: the upload stays where it was and can go on later.
    Resp chunk = registry.patch(openUpload, Arrays.copyOfRange(open, 100 * 1024, 200 * 1024),
        "Content-Type", "application/octet-stream", "Content-Range", "102400-204799");
    assertDiskFull(chunk);
    Resp status = registry.get(openUpload);
    assertEquals(204, status.status(), status::toString);
    assertEquals("0-102399", status.headerOrNull("Range"), "the refused chunk was not kept");

    // A new manifest (its bytes are a blob) and a new tag on a stored manifest (only a metadata write).
    byte[] v4 = Oci.ociManifest().config(Oci.Descriptor.of(Oci.OCI_CONFIG, v1.config())).annotation("n", "4").build();
    assertDiskFull(registry.putManifest(repo, "v4", Oci.OCI_MANIFEST, v4));
    Resp retag = registry.putManifest(repo, "v2", Oci.OCI_MANIFEST, v1.manifest());
    assertDiskFull(retag);
    assertTrue(retag.text().contains("SQLITE_FULL") || retag.text().contains("database or disk is full"),
        () -> "the tag was refused by the metadata store: " + retag);
    assertEquals(404, registry.head("/v2/" + repo + "/manifests/v2", "Accept", Oci.OCI_MANIFEST).status(), "no tag moved");
    assertEquals(404, registry.head("/v2/" + repo + "/manifests/v4", "Accept", Oci.OCI_MANIFEST).status(), "no manifest stored");
    // A new upload session cannot be recorded either, and leaves no file behind.
    Set<String> uploadsBefore = StorageChecks.uploadFiles(storage);
    assertDiskFull(registry.post("/v2/" + repo + "/blobs/uploads/", null));
    assertEquals(uploadsBefore, StorageChecks.uploadFiles(storage), "a refused upload leaves no file");

    // Reads go on (their decisions cannot be logged: the log is flushed every 200 ms and fails), and
    // nothing on disk is partial or inconsistent.
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 8; j++) pullIsWhole(v1);
      Thread.sleep(250);
    }
    assertEquals(200, registry.get("/v2/" + repo + "/tags/list").status());
    assertEquals(200, registry.get("/v2/_catalog").status());
    StorageChecks.blobFilesMatchTheirNames(storage);
    Set<String> sessions = StorageChecks.metadataIsConsistent(storage);
    assertEquals(sessions, StorageChecks.uploadFiles(storage), "every upload file belongs to an open upload, and only the open one is left");

    // Space returns: the same registry, without a restart, takes every push that failed.
    Files.delete(filler);
    registry.pushManifest(repo, "v2", Oci.OCI_MANIFEST, v1.manifest());
    registry.pushManifest(repo, "v4", Oci.OCI_MANIFEST, v4);
    Resp again = registry.post("/v2/" + repo + "/blobs/uploads/?digest=" + Oci.sha256(refused), refused, "Content-Type", "application/octet-stream");
    assertEquals(201, again.status(), again::toString);
    registry.assertBlob(repo, Oci.sha256(refused), refused);
    Resp rest = registry.patch(openUpload, Arrays.copyOfRange(open, 100 * 1024, open.length),
        "Content-Type", "application/octet-stream", "Content-Range", "102400-" + (open.length - 1));
    assertEquals(202, rest.status(), rest::toString);
    Resp done = registry.put(withQuery(rest.headerOrNull("Location"), "digest", Oci.sha256(open)), null);
    assertEquals(201, done.status(), done::toString);
    registry.assertBlob(repo, Oci.sha256(open), open);
    Image v3 = registry.pushImage(repo, "v3", 2);
    pullIsWhole(v3);
    pullIsWhole(v1);
    Resp v2 = registry.get("/v2/" + repo + "/manifests/v2", "Accept", Oci.OCI_MANIFEST);
    assertArrayEquals(v1.manifest(), v2.body(), v2::toString);
    StorageChecks.blobFilesMatchTheirNames(storage);
    StorageChecks.metadataIsConsistent(storage);
    // The decisions taken while the disk was full waited and were written after it, with no broken line.
    Thread.sleep(500); // the log is flushed every 200 ms
    int pullsOfV1 = 0;
    for (String line : Files.readAllLines(storage.resolve("decisions.jsonl"), StandardCharsets.UTF_8)) {
      com.fasterxml.jackson.databind.JsonNode decision;
      try {
        decision = Oci.JSON.readTree(line);
      } catch (IOException e) {
        throw new AssertionError("a broken line in decisions.jsonl: " + line, e);
      }
      if (decision.path("action").asText().equals("pull") && decision.path("reference").asText().equals(v1.digest())) pullsOfV1++;
    }
    assertTrue(pullsOfV1 >= 25, "decisions.jsonl holds " + pullsOfV1 + " of the 25 pulls of v1");
  }

  /** 507 Insufficient Storage, an OCI error body with code UNKNOWN, and a message that says the disk is full. */
  private static void assertDiskFull(Resp r) {
    assertTrue(r != null, "every push fitted: the disk never filled up");
    assertEquals(507, r.status(), r::toString);
    assertTrue(r.header("Content-Type").orElse("").startsWith("application/json"), r::toString);
    assertEquals("UNKNOWN", r.json().path("errors").path(0).path("code").asText(), r::toString);
    assertTrue(r.json().path("errors").path(0).path("message").asText().startsWith("no space left on device"), r::toString);
  }

  private static void pullIsWhole(Image img) {
    Resp m = registry.get("/v2/" + img.repo() + "/manifests/" + img.digest(), "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, m.status(), m::toString);
    assertArrayEquals(img.manifest(), m.body());
    registry.assertBlob(img.repo(), Oci.sha256(img.config()), img.config());
    for (byte[] layer : img.layers()) registry.assertBlob(img.repo(), Oci.sha256(layer), layer);
  }

  /** Appends to {@code file} up to {@code bytes} more bytes, or until the disk is full. */
  private static void writeFiller(Path file, long bytes) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(64 * 1024);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long written = 0;
      while (written < bytes) {
        block.clear().limit((int) Math.min(block.capacity(), bytes - written));
        try {
          written += ch.write(block);
        } catch (IOException e) {
          assertTrue(String.valueOf(e.getMessage()).contains("No space left on device"), e::toString);
          return;
        }
      }
    }
  }

  /** Checkpoints the metadata database and truncates its write-ahead log to nothing (beside the running server). */
  private static void checkpointAndTruncateWal(Path storage) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storage.resolve("metadata.db").toAbsolutePath());
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      for (int attempt = 0; attempt < 50; attempt++) {
        try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          if (rs.getInt(1) == 0) return;
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("cannot checkpoint the metadata database");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, () -> String.join(" ", command) + " failed: " + out);
  }

  private static boolean tryRun(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
