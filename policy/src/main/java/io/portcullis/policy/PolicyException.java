package io.portcullis.policy;

/**
 * A policy could not be loaded or evaluated. Carries OPA's error code ({@code rego_parse_error},
 * {@code rego_compile_error}, {@code rego_unsafe_var_error}, {@code eval_conflict_error},
 * {@code eval_builtin_error}, {@code eval_cancel_error}, ..., or {@code opa_unavailable} for the
 * remote engine) and, when known, the location {@code file:row:col}.
 */
public final class PolicyException extends Exception {
  private final String code;
  private final String location;

  public PolicyException(String code, String message, String location) {
    super(message);
    this.code = code;
    this.location = location;
  }

  public PolicyException(String code, String message, String location, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.location = location;
  }

  public String code() { return code; }

  /** {@code file:row:col} (or {@code row:col} in a query), or null when unknown. */
  public String location() { return location; }
}
