package io.portcullis.gateway.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading small request bodies (manifests) into memory, never more than a limit. */
public final class RequestBodies {
  private RequestBodies() {}

  /**
   * Reads the whole body, or answers 413 with {@code code} when it exceeds {@code limit} bytes
   * (checked against Content-Length first, then while reading).
   */
  public static byte[] readAtMost(Context ctx, long limit, ErrorCode code, String what) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      discard(ctx, limit * DRAIN_FACTOR);
      throw tooLarge(code, what, limit);
    }
    // Grown as bytes arrive, never sized from Content-Length: a client that declares 4 MiB and sends
    // nothing must not make the registry hold 4 MiB for it.
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, 65536) : 8192);
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] buf = new byte[16384];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          discard(ctx, limit * DRAIN_FACTOR);
          throw tooLarge(code, what, limit);
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  /** How much of an over-size body is read and dropped, as a multiple of the limit, before answering. */
  private static final long DRAIN_FACTOR = 4;

  /**
   * Reads and drops the rest of a body (up to {@code max} bytes), so that the error response reaches a
   * client that is still sending instead of the connection being reset under it. Bodies longer than
   * that are cut off by closing the connection.
   */
  private static void discard(Context ctx, long max) {
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] buf = new byte[65536];
      long total = 0;
      int n;
      while (total < max && (n = in.read(buf)) > 0) total += n;
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static RegistryException tooLarge(ErrorCode code, String what, long limit) {
    return RegistryException.of(code, what + " is larger than the limit of " + limit + " bytes",
        java.util.Map.of("limit", limit)).withStatus(413);
  }
}
