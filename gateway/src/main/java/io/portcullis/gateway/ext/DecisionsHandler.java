package io.portcullis.gateway.ext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/_portcullis/ext/decisions}: the gate's recent decisions, oldest first, filtered by
 * {@code repository}, {@code action}, {@code allowed}, {@code user}; paged with {@code n} (default 100,
 * at most 1000) and {@code last} (the id of the last decision already seen), with a {@code Link} header
 * for the next page.
 */
public final class DecisionsHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AdmissionController gate;

  public DecisionsHandler(AdmissionController gate) { this.gate = gate; }

  public void list(Context ctx) {
    String repository = ctx.queryParam("repository");
    String action = ctx.queryParam("action");
    String allowed = ctx.queryParam("allowed");
    String user = ctx.queryParam("user");
    int n = number(ctx, "n", 100, 1, 1000);
    long last = number(ctx, "last", 0, 0, Integer.MAX_VALUE);
    List<ObjectNode> page = gate.log().query(line ->
        (repository == null || repository.equals(line.path("repository").asText()))
            && (action == null || action.equals(line.path("action").asText()))
            && (allowed == null || Boolean.parseBoolean(allowed) == line.path("allowed").asBoolean())
            && (user == null || user.equals(line.path("user").asText())), last, n + 1);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode decisions = body.putArray("decisions");
    page.stream().limit(n).forEach(decisions::add);
    if (page.size() > n) {
      long lastId = page.get(n - 1).path("id").asLong();
      StringBuilder next = new StringBuilder("/v2/_portcullis/ext/decisions?n=" + n + "&last=" + lastId);
      for (String p : new String[] {"repository", "action", "allowed", "user"}) {
        if (ctx.queryParam(p) != null) next.append('&').append(p).append('=').append(java.net.URLEncoder.encode(ctx.queryParam(p), java.nio.charset.StandardCharsets.UTF_8));
      }
      ctx.header("Link", "<" + next + ">; rel=\"next\"");
    }
    ctx.contentType("application/json").result(body.toString());
  }

  static int number(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) return dflt;
    try {
      long n = Long.parseLong(v);
      return (int) Math.max(min, Math.min(max, n));
    } catch (NumberFormatException e) {
      // a whole number too long for a long is clamped like any other out-of-range one
      if (v.matches("-?[0-9]+")) return v.startsWith("-") ? min : max;
      throw RegistryException.of(ErrorCode.UNSUPPORTED, name + " must be a number", Map.of(name, v)).withStatus(400);
    }
  }
}
