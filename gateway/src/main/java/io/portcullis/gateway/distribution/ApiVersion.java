package io.portcullis.gateway.distribution;

import io.javalin.http.Context;

/** {@code GET /v2/}: tells clients this is a registry speaking the v2 API. */
final class ApiVersion {
  private ApiVersion() {}

  static void check(Context ctx) {
    ctx.contentType("application/json");
    ctx.result("{}");
  }
}
