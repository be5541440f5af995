package io.portcullis.policy.ast;

/**
 * A position in Rego source. {@code file} is null for query text typed by a user; OPA prints such
 * locations as {@code row:col} and module locations as {@code file:row} in evaluation errors.
 */
public record Location(String file, int row, int col) {
  /** {@code file:row:col}, or {@code row:col} without a file; used by parse and compile errors. */
  public String full() {
    return file == null ? row + ":" + col : file + ":" + row + ":" + col;
  }

  /** OPA's evaluation-error prefix: {@code file:row} for module code, {@code row:col} for a query. */
  public String evalPrefix() {
    return file == null ? row + ":" + col : file + ":" + row;
  }

  @Override public String toString() { return full(); }
}
