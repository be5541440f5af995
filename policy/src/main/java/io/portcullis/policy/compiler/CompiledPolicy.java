package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Module;
import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of compiling a set of modules: the rule tree and what queries need to resolve names.
 * Immutable after construction; safe to evaluate from many threads at once.
 */
public final class CompiledPolicy {
  private final RuleNode root;
  private final List<Module> modules;
  private final Map<String, Integer> functions;
  private final BuiltinRegistry builtins;

  CompiledPolicy(RuleNode root, List<Module> modules, Map<String, Integer> functions, BuiltinRegistry builtins) {
    this.root = root;
    this.modules = List.copyOf(modules);
    this.functions = Map.copyOf(functions);
    this.builtins = builtins;
  }

  public RuleNode root() { return root; }
  public List<Module> modules() { return modules; }
  public BuiltinRegistry builtins() { return builtins; }
  Map<String, Integer> functions() { return functions; }

  /** The node at {@code data.<path>}, or null. */
  public RuleNode node(List<String> path) {
    RuleNode n = root;
    for (String p : path) {
      n = n.child(new StringValue(p));
      if (n == null) return null;
    }
    return n;
  }

  /** The node at a path of values, or null. */
  public RuleNode nodeAt(List<Value> path) {
    RuleNode n = root;
    for (Value p : path) {
      n = n.child(p);
      if (n == null) return null;
    }
    return n;
  }

  /** Names of the functions, {@code a.b.f} without {@code data.}. */
  public Set<String> functionNames() { return functions.keySet(); }
}
