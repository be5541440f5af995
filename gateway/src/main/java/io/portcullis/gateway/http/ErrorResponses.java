package io.portcullis.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every error the registry answers, in the distribution-spec body. */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorResponses() {}

  public static void write(RegistryException e, Context ctx) {
    ctx.status(e.status());
    for (Map.Entry<String, String> h : e.headers().entrySet()) ctx.header(h.getKey(), h.getValue());
    ObjectNode error = JSON.createObjectNode();
    error.put("code", e.code().name());
    error.put("message", e.getMessage() == null ? e.code().message() : e.getMessage());
    if (e.detail() != null) error.set("detail", JSON.valueToTree(e.detail()));
    ObjectNode body = JSON.createObjectNode();
    ArrayNode errors = body.putArray("errors");
    errors.add(error);
    if (ctx.method() == HandlerType.HEAD) {
      ctx.header("Content-Length", "0");
      return;
    }
    ctx.contentType("application/json");
    ctx.result(body.toString());
  }

  /**
   * The client closed the connection before sending the whole body it declared: its fault, not the
   * registry's. Logged in one line (no stack) and answered 400 SIZE_INVALID, which no one may read.
   */
  public static void writeBodyCutShort(Exception e, Context ctx) {
    LOG.info("{} {}: the client closed the connection before the end of its request body ({})", ctx.method(), ctx.path(), e.toString());
    write(RegistryException.of(ErrorCode.SIZE_INVALID, "the request body ended before its declared length"), ctx);
  }

  /**
   * Anything that is not a {@link RegistryException}: logged with its stack, answered 500 UNKNOWN; a full
   * disk ({@link StorageFull}) is logged in one line and answered 507 with a message that says so.
   */
  public static void writeUnexpected(Exception e, Context ctx) {
    if (StorageFull.causes(e)) {
      LOG.warn("{} {} failed: the storage is full ({})", ctx.method(), ctx.path(), StorageFull.reason(e));
      write(RegistryException.of(ErrorCode.UNKNOWN, StorageFull.MESSAGE, Map.of("reason", StorageFull.reason(e)))
          .withStatus(StorageFull.STATUS), ctx);
      return;
    }
    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    write(RegistryException.of(ErrorCode.UNKNOWN, "internal error: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage())), ctx);
  }
}
