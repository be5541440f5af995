package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Location;

/** One compile error: an OPA error code ({@code rego_compile_error}, {@code rego_unsafe_var_error}, ...), a message and where. */
public record CompileError(String code, String message, Location location) {
  @Override public String toString() {
    return (location == null ? "" : location.full() + ": ") + code + ": " + message;
  }
}
