package io.portcullis.policy.compiler;

import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node of the virtual document tree: the rules whose ground head prefix is this node's path, and the
 * child nodes. Built by the compiler and never changed afterwards.
 */
public final class RuleNode {
  private final List<Value> path;
  private final Map<Value, RuleNode> children = new TreeMap<>();
  private final List<CompiledRule> rules = new ArrayList<>();
  private CompiledRule defaultRule;
  private boolean function;
  private int arity;

  RuleNode(List<Value> path) { this.path = List.copyOf(path); }

  public List<Value> path() { return path; }
  public Map<Value, RuleNode> children() { return Collections.unmodifiableMap(children); }
  public List<CompiledRule> rules() { return Collections.unmodifiableList(rules); }
  public CompiledRule defaultRule() { return defaultRule; }
  public boolean isFunction() { return function; }
  public int arity() { return arity; }
  public boolean hasRules() { return !rules.isEmpty() || defaultRule != null; }
  public RuleNode child(Value key) { return children.get(key); }

  /** {@code data.a.b} style text of the path. */
  public String dotted() {
    StringBuilder sb = new StringBuilder("data");
    for (Value v : path) {
      if (v instanceof io.portcullis.policy.value.StringValue s && s.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        sb.append('.').append(s.value());
      } else {
        sb.append('[').append(v).append(']');
      }
    }
    return sb.toString();
  }

  RuleNode childOrCreate(Value key) {
    return children.computeIfAbsent(key, k -> {
      List<Value> p = new ArrayList<>(path);
      p.add(k);
      return new RuleNode(p);
    });
  }

  void addRule(CompiledRule r) {
    if (r.isDefault()) {
      defaultRule = r;
    } else {
      rules.add(r);
    }
    if (r.kind() == io.portcullis.policy.ast.Rule.Kind.FUNCTION) {
      function = true;
      arity = r.args().size();
    }
  }
}
