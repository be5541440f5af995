package io.portcullis.policy.eval;

import io.portcullis.policy.value.Value;
import java.util.Arrays;

/**
 * Variable bindings of one rule body (or query). Bindings are made and undone in strict stack order
 * while backtracking, so the frame is a stack: {@link #mark()} is its height and {@link #undo(int)}
 * pops back to it. Bodies bind few variables, so a scan from the top beats hashing.
 */
final class Frame {
  private String[] names = new String[8];
  private Value[] values = new Value[8];
  private int size;

  /** The value bound to a variable; names are interned (see {@link io.portcullis.policy.ast.Term.Var}), so identity decides. */
  Value get(String name) {
    for (int i = size - 1; i >= 0; i--) {
      if (names[i] == name) return values[i];
    }
    return null;
  }

  void bind(String name, Value v) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = v;
    size++;
  }

  int mark() { return size; }

  void undo(int mark) {
    while (size > mark) {
      size--;
      names[size] = null;
      values[size] = null;
    }
  }
}
