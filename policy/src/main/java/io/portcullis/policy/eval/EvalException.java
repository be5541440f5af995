package io.portcullis.policy.eval;

import io.portcullis.policy.ast.Location;

/**
 * An evaluation error with OPA's code ({@code eval_conflict_error}, {@code eval_type_error},
 * {@code eval_builtin_error}, {@code eval_cancel_error}, ...). The message reads as OPA prints it:
 * {@code <location>: <code>: <detail>}.
 */
public final class EvalException extends RuntimeException {
  private final String code;
  private final String detail;
  private final Location location;

  public EvalException(String code, String detail, Location location) {
    super((location == null ? "" : location.evalPrefix() + ": ") + code + ": " + detail);
    this.code = code;
    this.detail = detail;
    this.location = location;
  }

  public String code() { return code; }
  public String detail() { return detail; }
  public Location location() { return location; }
}
