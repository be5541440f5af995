package io.portcullis.gateway.distribution;

import io.javalin.http.Context;
import io.portcullis.gateway.gate.Decision;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a gate decision into the response: 403 DENIED with the policy's messages, or warnings in a header. */
final class GateResponses {
  /** Response header carrying the policy's warnings on an admitted request. */
  static final String WARNING_HEADER = "Portcullis-Policy-Warning";

  private GateResponses() {}

  static void enforce(Context ctx, Decision d) {
    if (!d.allowed()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("deny", d.deny());
      if (!d.warn().isEmpty()) detail.put("warn", d.warn());
      detail.put("revision", d.revision());
      String message = d.deny().isEmpty() ? "denied by policy" : "denied by policy: " + String.join("; ", d.deny());
      throw RegistryException.of(ErrorCode.DENIED, message, detail);
    }
    if (!d.warn().isEmpty()) {
      ctx.header(WARNING_HEADER, String.join("; ", d.warn()).replaceAll("[\\r\\n]+", " "));
    }
  }
}
