package io.portcullis.gateway.distribution;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.http.ByteRange;
import io.portcullis.gateway.http.DigestParameter;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.storage.Storage;
import io.portcullis.storage.model.Digest;
import java.io.FilterInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** {@code /v2/<name>/blobs/<digest>}: GET and HEAD (with ranges) and DELETE. */
public final class BlobHandler {
  /** Blobs (or ranges) at least this large are sent through a direct buffer; smaller ones through a stream. */
  private static final long DIRECT_SEND_MIN = 256 * 1024;
  /** At most 32 MiB of direct memory for sending; when every buffer is in use, a send streams instead. */
  private static final DirectBuffers SEND_BUFFERS = new DirectBuffers(32, 1024 * 1024);

  private final Storage storage;
  private final AdmissionController gate;

  public BlobHandler(Storage storage, AdmissionController gate) {
    this.storage = storage;
    this.gate = gate;
  }

  /** GET and HEAD: the blob's bytes (or only its headers), whole or one range. */
  public void get(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    Digest digest = DigestParameter.parse(ctx.pathParam("digest"));
    long size = visibleSize(repository, digest);
    // Layers are served only as part of an admitted manifest: no stepping around the gate by digest.
    gate.blobAccess(ctx, repository, digest).ifPresent(denied -> GateResponses.enforce(ctx, denied));
    ctx.header("Docker-Content-Digest", digest.toString());
    ctx.header("Accept-Ranges", "bytes");
    ctx.contentType("application/octet-stream");
    Optional<ByteRange> range = ByteRange.fromHeader(ctx.header("Range"), size);
    long first = range.map(ByteRange::first).orElse(0L);
    long length = range.map(ByteRange::length).orElse(size);
    if (range.isPresent()) {
      ctx.status(206);
      ctx.header("Content-Range", "bytes " + range.get().first() + "-" + range.get().last() + "/" + size);
    }
    ctx.header("Content-Length", Long.toString(length));
    if (ctx.method() == HandlerType.HEAD) return;
    ctx.res().setContentLengthLong(length);
    ByteBuffer buffer = length < DIRECT_SEND_MIN ? null : SEND_BUFFERS.borrow();
    if (buffer == null) {
      InputStream in = storage.blobs().open(digest, first);
      ctx.result(length == size - first ? in : new LimitedInputStream(in, length));
      return;
    }
    try {
      sendDirect(ctx, buffer, digest, first, length);
    } finally {
      SEND_BUFFERS.giveBack(buffer);
    }
  }

  /**
   * Sends a region of a large blob through a direct buffer: the file is read into memory outside the
   * heap and Jetty writes that memory to the socket, two copies in all. (The stream path reads into a
   * heap array, and the JDK copies it through temporary direct buffers on both sides.)
   */
  private void sendDirect(Context ctx, ByteBuffer buffer, Digest digest, long first, long length) throws IOException {
    // Jetty's own output stream (Javalin hands the servlet response over unwrapped) takes buffers.
    HttpOutput out = (HttpOutput) ctx.res().getOutputStream();
    try (FileChannel ch = storage.blobs().openChannel(digest)) {
      long position = first;
      long end = first + length;
      while (position < end) {
        buffer.clear();
        if (end - position < buffer.capacity()) buffer.limit((int) (end - position));
        int n = ch.read(buffer, position);
        if (n < 0) throw new IOException("blob " + digest + " ended before its recorded size");
        position += n;
        buffer.flip();
        out.write(buffer);
      }
    }
  }

  /** DELETE: removes the blob from this repository (its bytes go when nothing else uses them). */
  public void delete(Context ctx) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    Digest digest = DigestParameter.parse(ctx.pathParam("digest"));
    if (!storage.metadata().unlinkBlob(repository, digest)) throw unknown(repository, digest);
    ctx.status(202);
    ctx.header("Content-Length", "0");
  }

  private long visibleSize(String repository, Digest digest) throws IOException {
    Optional<Long> linked = storage.metadata().linkedBlobSize(repository, digest);
    if (linked.isEmpty() || storage.blobs().size(digest).isEmpty()) throw unknown(repository, digest);
    return linked.get();
  }

  private static RegistryException unknown(String repository, Digest digest) {
    return RegistryException.of(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repository,
        Map.of("digest", digest.toString()));
  }

  /** Stops after a given number of bytes (a range's end). */
  private static final class LimitedInputStream extends FilterInputStream {
    private long remaining;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) return -1;
      int b = super.read();
      if (b >= 0) remaining--;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) return -1;
      int n = super.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) remaining -= n;
      return n;
    }
  }
}
