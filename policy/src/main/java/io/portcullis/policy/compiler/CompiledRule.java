package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Location;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.value.Value;
import java.util.List;

/**
 * A rule ready to evaluate, attached to the {@link RuleNode} of its ground head prefix. {@code suffix}
 * holds the head reference terms below that node ({@code p[x]} has suffix {@code [x]}). {@code guards}
 * index the rule: equalities {@code input.a.b == "const"} its body requires, checked before the body runs.
 */
public record CompiledRule(Rule.Kind kind, List<Term> suffix, List<Term> args, Term key, Term value,
                           List<Expr> body, CompiledRule elseRule, boolean isDefault, Location location,
                           List<Guard> guards) {
  /** The body can only succeed when the input document has {@code value} at {@code inputPath}. */
  public record Guard(List<Value> inputPath, Value value) {
    public Guard {
      inputPath = List.copyOf(inputPath);
    }
  }
}
