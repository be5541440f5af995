package io.portcullis.policy.ast;

import java.util.List;

/** What a call resolves to after compilation. */
public sealed interface CallTarget {
  /** A builtin (or an evaluator-provided special such as {@code walk} or {@code print}) by name. */
  record BuiltinTarget(String name) implements CallTarget {}

  /** A user function at {@code data.<path>}. */
  record FunctionTarget(List<String> path) implements CallTarget {
    public FunctionTarget { path = List.copyOf(path); }
    public String dotted() { return "data." + String.join(".", path); }
  }
}
