package io.portcullis.storage.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.storage.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do; each backend's test extends this. */
public abstract class BlobStoreContract {
  protected abstract BlobStore store() throws IOException;

  private static InputStream bytes(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)); }

  private static Digest digestOf(String s) { return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)); }

  @Test
  void chunkedUploadBecomesReadableOnlyAfterCommit() throws IOException {
    BlobStore store = store();
    Digest d = digestOf("hello world");
    store.createUpload("u1");
    assertEquals(5, store.appendToUpload("u1", bytes("hello"), 0, -1));
    assertTrue(store.size(d).isEmpty(), "an unfinished upload is not a blob");
    assertEquals(11, store.appendToUpload("u1", bytes(" world"), 5, -1));
    assertEquals(11, store.commitUpload("u1", d));
    assertEquals(11, store.size(d).getAsLong());
    try (InputStream in = store.open(d, 6)) {
      assertEquals("world", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertTrue(store.uploadSize("u1").isEmpty(), "a committed upload is gone");
  }

  @Test
  void chunkAtTheWrongOffsetIsRefusedAndChangesNothing() throws IOException {
    BlobStore store = store();
    store.createUpload("u2");
    store.appendToUpload("u2", bytes("abc"), 0, -1);
    UploadOffsetException e = assertThrows(UploadOffsetException.class, () -> store.appendToUpload("u2", bytes("zzz"), 1, -1));
    assertEquals(3, e.currentSize());
    assertEquals(3, store.uploadSize("u2").getAsLong());
    store.appendToUpload("u2", bytes("def"), 3, -1);
    assertEquals(6, store.commitUpload("u2", digestOf("abcdef")));
  }

  @Test
  void wrongDigestStoresNothingAndDiscardsTheUpload() throws IOException {
    BlobStore store = store();
    store.createUpload("u3");
    store.appendToUpload("u3", bytes("real content"), -1, -1);
    Digest claimed = digestOf("other content");
    DigestMismatchException e = assertThrows(DigestMismatchException.class, () -> store.commitUpload("u3", claimed));
    assertEquals(digestOf("real content"), e.actual());
    assertTrue(store.size(claimed).isEmpty());
    assertTrue(store.size(digestOf("real content")).isEmpty());
    assertTrue(store.uploadSize("u3").isEmpty());
  }

  @Test
  void sha512DigestsAreVerified() throws IOException {
    BlobStore store = store();
    byte[] content = "sha512 content".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.compute(Digest.Algorithm.SHA512, content);
    store.createUpload("u4");
    store.appendToUpload("u4", new ByteArrayInputStream(content), -1, -1);
    store.commitUpload("u4", d);
    try (InputStream in = store.open(d, 0)) {
      assertArrayEquals(content, in.readAllBytes());
    }
  }

  @Test
  void chunkOfTheWrongLengthIsNotKept() throws IOException {
    BlobStore store = store();
    store.createUpload("u5");
    store.appendToUpload("u5", bytes("ok"), -1, -1);
    assertThrows(ChunkLengthException.class, () -> store.appendToUpload("u5", bytes("too long"), 2, 3));
    assertThrows(ChunkLengthException.class, () -> store.appendToUpload("u5", bytes("short"), 2, 10));
    assertEquals(2, store.uploadSize("u5").getAsLong());
    store.appendToUpload("u5", bytes("!"), 2, 1);
    assertEquals(3, store.commitUpload("u5", digestOf("ok!")));
  }

  @Test
  void chunkWhoseStreamFailsHalfwayIsNotKept() throws IOException {
    BlobStore store = store();
    store.createUpload("u6");
    store.appendToUpload("u6", bytes("kept"), -1, -1);
    // 600 KB arrive, then the stream fails (a client gone, or a write that found the disk full).
    InputStream failing = new InputStream() {
      int left = 600_000;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0];
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) throw new IOException("connection reset");
        int n = Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        left -= n;
        return n;
      }
    };
    IOException e = assertThrows(IOException.class, () -> store.appendToUpload("u6", failing, 4, -1));
    assertEquals("connection reset", e.getMessage());
    assertEquals(4, store.uploadSize("u6").getAsLong(), "the upload is as it was before the failed chunk");
    store.appendToUpload("u6", bytes(" too"), 4, 4);
    assertEquals(8, store.commitUpload("u6", digestOf("kept too")));
  }

  @Test
  void unknownUploadAndBlobAreReportedAsSuch() throws IOException {
    BlobStore store = store();
    assertThrows(UploadNotFoundException.class, () -> store.appendToUpload("nope", bytes("x"), -1, -1));
    assertThrows(BlobNotFoundException.class, () -> store.open(digestOf("missing"), 0));
    assertFalse(store.delete(digestOf("missing")));
    assertFalse(store.deleteUpload("nope"));
  }

  @Test
  void concurrentUploadsOfTheSameContentBothSucceed() throws Exception {
    BlobStore store = store();
    String content = "same bytes ".repeat(10_000);
    Digest d = digestOf(content);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = "c" + i;
        results.add(pool.submit(() -> {
          store.createUpload(id);
          store.appendToUpload(id, bytes(content), 0, -1);
          return store.commitUpload(id, d);
        }));
      }
      for (Future<Long> f : results) assertEquals(content.length(), f.get());
    } finally {
      pool.shutdownNow();
    }
    try (InputStream in = store.open(d, 0)) {
      assertEquals(content, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
