package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** graph.reachable and graph.reachable_paths over adjacency objects (node: array or set of nodes). */
final class GraphBuiltins {
  private GraphBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("graph.reachable", 2, (ctx, a) -> {
      ObjectValue graph = Operands.object("graph.reachable", a, 0);
      List<Value> initial = Operands.arrayOrSet("graph.reachable", a, 1);
      TreeSet<Value> reached = new TreeSet<>();
      Deque<Value> queue = new ArrayDeque<>(initial);
      while (!queue.isEmpty()) {
        Value node = queue.poll();
        if (reached.contains(node) || !graph.entries().containsKey(node)) continue;
        reached.add(node);
        queue.addAll(edges(graph.get(node)));
      }
      return SetValue.of(reached);
    });
    b.add("graph.reachable_paths", 2, (ctx, a) -> {
      ObjectValue graph = Operands.object("graph.reachable_paths", a, 0);
      List<Value> initial = Operands.arrayOrSet("graph.reachable_paths", a, 1);
      TreeSet<Value> paths = new TreeSet<>();
      Set<Value> expanded = new HashSet<>();
      for (Value root : initial) {
        if (graph.entries().containsKey(root)) paths(graph, root, new ArrayList<>(), paths, expanded);
      }
      return SetValue.of(paths);
    });
  }

  private static List<Value> edges(Value v) {
    if (v instanceof ArrayValue arr) return arr.elements();
    if (v instanceof SetValue s) return new ArrayList<>(s.members());
    return List.of();
  }

  /**
   * Depth-first paths from root: a path ends at a node without edges into the graph, and where an
   * edge leads to a node already expanded (or out of the graph) the path so far is recorded.
   */
  private static void paths(ObjectValue graph, Value root, List<Value> prefix, Set<Value> out, Set<Value> expanded) {
    List<Value> path = new ArrayList<>(prefix);
    path.add(root);
    List<Value> edges = edges(graph.get(root));
    boolean hasInner = false;
    for (Value n : edges) hasInner |= graph.entries().containsKey(n);
    if (!hasInner) {
      out.add(new ArrayValue(path));
      return;
    }
    expanded.add(root);
    for (Value n : edges) {
      if (!graph.entries().containsKey(n) || expanded.contains(n)) {
        out.add(new ArrayValue(path));
        continue;
      }
      paths(graph, n, path, out, expanded);
    }
  }
}
