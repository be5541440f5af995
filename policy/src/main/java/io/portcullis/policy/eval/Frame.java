package io.portcullis.policy.eval;

import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.HashMap;

/** Variable bindings of one rule body (or query) with a trail, so backtracking can undo them. */
final class Frame {
  private final HashMap<String, Value> vars = new HashMap<>();
  private final ArrayList<String> trail = new ArrayList<>();

  Value get(String name) { return vars.get(name); }

  void bind(String name, Value v) {
    vars.put(name, v);
    trail.add(name);
  }

  int mark() { return trail.size(); }

  void undo(int mark) {
    while (trail.size() > mark) vars.remove(trail.remove(trail.size() - 1));
  }
}
