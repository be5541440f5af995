package io.portcullis.storage.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.storage.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {
  @TempDir Path root;

  @Override
  protected BlobStore store() throws IOException { return new FileSystemBlobStore(root); }

  @Test
  void uploadSurvivesARestartAndIsHashedAgainFromDisk() throws IOException {
    BlobStore before = store();
    before.createUpload("r1");
    before.appendToUpload("r1", new ByteArrayInputStream("first half,".getBytes(StandardCharsets.UTF_8)), 0, -1);
    BlobStore after = store(); // a new process: no running hash in memory
    after.appendToUpload("r1", new ByteArrayInputStream(" second half".getBytes(StandardCharsets.UTF_8)), 11, -1);
    Digest d = Digest.sha256("first half, second half".getBytes(StandardCharsets.UTF_8));
    assertEquals(23, after.commitUpload("r1", d));
  }

  @Test
  void committedBlobsLiveUnderTheDocumentedLayoutAndLeaveNoTemporaryFiles() throws IOException {
    BlobStore store = store();
    byte[] content = "layout".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(content);
    store.createUpload("l1");
    store.appendToUpload("l1", new ByteArrayInputStream(content), 0, -1);
    store.commitUpload("l1", d);
    assertTrue(Files.isRegularFile(root.resolve("blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex())));
    try (Stream<Path> uploads = Files.list(root.resolve("uploads"))) {
      assertEquals(0, uploads.count());
    }
  }
}
