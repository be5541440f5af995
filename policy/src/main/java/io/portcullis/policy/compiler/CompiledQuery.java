package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Expr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A compiled query body, the user variables whose bindings form the result rows and, when asked for,
 * the generated variable holding each top-level expression's value (null for expressions whose value
 * is simply true, such as unifications).
 */
public record CompiledQuery(List<Expr> body, List<String> vars, List<String> expressionVars) {
  public CompiledQuery {
    body = List.copyOf(body);
    vars = List.copyOf(vars);
    expressionVars = Collections.unmodifiableList(new ArrayList<>(expressionVars));
  }
}
