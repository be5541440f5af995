package io.portcullis.policy.ast;

import java.util.List;

/** What a call resolves to after compilation. */
public sealed interface CallTarget {
  /**
   * A builtin by name; {@code builtin} is its implementation from the registry, or null for the ones the
   * evaluator provides itself ({@code walk}, {@code print}, {@code internal.member_2}, ...).
   */
  record BuiltinTarget(String name, io.portcullis.policy.builtins.Builtin builtin) implements CallTarget {
    @Override public boolean equals(Object o) { return o instanceof BuiltinTarget b && b.name.equals(name); }
    @Override public int hashCode() { return name.hashCode(); }
  }

  /** A user function at {@code data.<path>}. */
  record FunctionTarget(List<String> path) implements CallTarget {
    public FunctionTarget { path = List.copyOf(path); }
    public String dotted() { return "data." + String.join(".", path); }
  }
}
