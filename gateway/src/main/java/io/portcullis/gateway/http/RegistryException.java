package io.portcullis.gateway.http;

import java.util.Map;

/**
 * A request that ends in a distribution-spec error. Handlers throw it; {@link ErrorResponses} writes
 * the spec's body once, with the status of the code unless {@code status} overrides it.
 */
public final class RegistryException extends RuntimeException {
  private final ErrorCode code;
  private final int status;
  private final Object detail;
  private final Map<String, String> headers;

  private RegistryException(ErrorCode code, int status, String message, Object detail, Map<String, String> headers) {
    super(message);
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }

  public static RegistryException of(ErrorCode code, String message) {
    return new RegistryException(code, code.status(), message, null, Map.of());
  }

  public static RegistryException of(ErrorCode code, String message, Object detail) {
    return new RegistryException(code, code.status(), message, detail, Map.of());
  }

  /** A copy answered with another HTTP status than the code's own (413, 416). */
  public RegistryException withStatus(int newStatus) {
    return new RegistryException(code, newStatus, getMessage(), detail, headers);
  }

  /** A copy that also sets a response header. */
  public RegistryException withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new RegistryException(code, status, getMessage(), detail, Map.copyOf(h));
  }

  public ErrorCode code() { return code; }
  public int status() { return status; }
  public Object detail() { return detail; }
  public Map<String, String> headers() { return headers; }
}
