package io.portcullis.gateway.ext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.gate.PolicyBundle;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RequestBodies;
import io.portcullis.policy.PolicyException;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /v1/data/<path>} with {@code {"input": ...}}: the embedded engine served as OPA's Data API,
 * so that OPA clients (and another Portcullis's remote-OPA rule set) can ask it. The answer is
 * {@code {"result": ...}}, or {@code {}} when the document is undefined; errors use OPA's
 * {@code {"code", "message"}} body.
 */
public final class OpaDataApiHandler {
  /** Numbers are read exactly, as OPA keeps them: a double would turn 1e400 into Infinity, which is no value. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final long MAX_INPUT_BYTES = 8L * 1024 * 1024;
  private final PolicyBundle bundle;

  public OpaDataApiHandler(PolicyBundle bundle) { this.bundle = bundle; }

  public void evaluate(Context ctx) throws IOException {
    String path = ctx.pathParam("path");
    JsonNode input = null;
    byte[] body = RequestBodies.readAtMost(ctx, MAX_INPUT_BYTES, ErrorCode.UNSUPPORTED, "the input document");
    if (body.length > 0) {
      try {
        input = JSON.readTree(body).get("input");
      } catch (com.fasterxml.jackson.core.JsonProcessingException | NumberFormatException e) {
        // Jackson reports an exponent beyond an int's range (1e99999999999) as NumberFormatException
        opaError(ctx, 400, "invalid_parameter", "the body must be a JSON object with an \"input\" field");
        return;
      }
    }
    Optional<JsonNode> result;
    try {
      result = bundle.engine().evaluate(path, input);
    } catch (PolicyException e) {
      if (e.code().equals("invalid_input")) { // e.g. a number out of the engine's range
        opaError(ctx, 400, "invalid_parameter", e.getMessage());
        return;
      }
      opaError(ctx, 500, "internal_error", e.code() + ": " + (e.location() == null ? "" : e.location() + ": ") + e.getMessage());
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    result.ifPresent(r -> out.set("result", r));
    ctx.contentType("application/json").result(out.toString());
  }

  private static void opaError(Context ctx, int status, String code, String message) {
    ObjectNode err = JSON.createObjectNode();
    err.put("code", code);
    err.put("message", message);
    ctx.status(status).contentType("application/json").result(err.toString());
  }

}
