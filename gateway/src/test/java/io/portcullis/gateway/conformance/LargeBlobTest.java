package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 2 GiB blob pushed and pulled through a registry that runs inside the surefire JVM (heap capped by
 * the build: -Xmx256m in gateway/pom.xml), generated on the fly and never held whole in memory by the test.
 */
@Tag("large")
class LargeBlobTest extends RegistryTestBase {
  private static final long SIZE = 2L * 1024 * 1024 * 1024;

  /** Deterministic pseudo-random bytes, regenerated identically for the digest, the upload and the check. */
  static final class Generated extends InputStream {
    private final long size;
    private long pos;
    private long state = 0x2545F4914F6CDD1DL;
    private final byte[] block = new byte[64 * 1024];
    private int blockPos = block.length;

    Generated(long size) { this.size = size; }

    private void refill() {
      for (int i = 0; i < block.length; i += 8) {
        state ^= state << 13; state ^= state >>> 7; state ^= state << 17;
        long v = state;
        for (int j = 0; j < 8; j++) { block[i + j] = (byte) v; v >>>= 8; }
      }
      blockPos = 0;
    }

    @Override public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) {
      if (pos >= size) return -1;
      if (blockPos == block.length) refill();
      int n = (int) Math.min(Math.min(len, block.length - blockPos), size - pos);
      System.arraycopy(block, blockPos, b, off, n);
      blockPos += n;
      pos += n;
      return n;
    }
  }

  private static String sha256Of(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) { md.update(buf, 0, n); total += n; }
    assertEquals(SIZE, total, "bytes streamed");
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  @Test
  void twoGiBPushAndPullStreamThrough() throws Exception {
    assertTrue(Runtime.getRuntime().maxMemory() < SIZE / 2,
        "the heap must be well below the blob size for this test to mean anything");
    String repo = RegistryTestClient.newRepo("large");
    String digest;
    try (InputStream in = new Generated(SIZE)) { digest = sha256Of(in); }

    Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
    assertEquals(202, post.status(), post::toString);
    Resp put = registry.send("PUT", withQuery(post.headerOrNull("Location"), "digest", digest),
        BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new Generated(SIZE)), SIZE),
        "Content-Type", "application/octet-stream");
    assertEquals(201, put.status(), put::toString);

    Resp head = registry.head("/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, head.status(), head::toString);
    assertEquals(String.valueOf(SIZE), head.headerOrNull("Content-Length"), head::toString);

    HttpResponse<InputStream> get = registry.stream("GET", "/v2/" + repo + "/blobs/" + digest, BodyPublishers.noBody());
    assertEquals(200, get.statusCode());
    try (InputStream body = get.body()) {
      assertEquals(digest, sha256Of(body), "pulled bytes hash to the pushed digest");
    }

    // a range near the end, past the 32-bit boundary
    long from = SIZE - 1000;
    HttpResponse<InputStream> tail = registry.stream("GET", "/v2/" + repo + "/blobs/" + digest, BodyPublishers.noBody(),
        "Range", "bytes=" + from + "-");
    assertEquals(206, tail.statusCode());
    byte[] got;
    try (InputStream body = tail.body()) { got = body.readAllBytes(); }
    byte[] expected = new byte[1000];
    try (InputStream gen = new Generated(SIZE)) {
      gen.skipNBytes(from);
      assertEquals(1000, gen.readNBytes(expected, 0, 1000));
    } catch (IOException e) {
      throw e;
    }
    assertTrue(java.util.Arrays.equals(expected, got), "last 1000 bytes by Range");
  }
}
