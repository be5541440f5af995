package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Expr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A compiled query body, the user variables whose bindings form the result rows and, when asked for,
 * the generated variable holding each top-level expression's value (null for expressions whose value
 * is simply true, such as unifications). Variable names are interned, as the evaluator compares them by identity.
 */
public record CompiledQuery(List<Expr> body, List<String> vars, List<String> expressionVars) {
  public CompiledQuery {
    body = List.copyOf(body);
    vars = vars.stream().map(String::intern).toList();
    List<String> ev = new ArrayList<>();
    for (String v : expressionVars) ev.add(v == null ? null : v.intern());
    expressionVars = Collections.unmodifiableList(ev);
  }
}
