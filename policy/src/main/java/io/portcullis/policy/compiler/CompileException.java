package io.portcullis.policy.compiler;

import java.util.List;

/** Compilation failed; holds every error found (up to the compiler's limit), in source order. */
public final class CompileException extends RuntimeException {
  private final List<CompileError> errors;

  public CompileException(List<CompileError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
  }

  public List<CompileError> errors() { return errors; }

  private static String format(List<CompileError> errors) {
    if (errors.size() == 1) return errors.get(0).toString();
    StringBuilder sb = new StringBuilder(errors.size() + " errors occurred:");
    for (CompileError e : errors) sb.append('\n').append(e);
    return sb.toString();
  }
}
