package io.portcullis.policy.lexer;

import io.portcullis.policy.ast.Location;

/** A lexing or parsing error: {@code file:row:col: rego_parse_error: message}. */
public final class RegoSyntaxException extends RuntimeException {
  private final Location location;
  private final String detail;

  public RegoSyntaxException(Location location, String detail) {
    super(location.full() + ": rego_parse_error: " + detail);
    this.location = location;
    this.detail = detail;
  }

  public Location location() { return location; }
  public String detail() { return detail; }
}
