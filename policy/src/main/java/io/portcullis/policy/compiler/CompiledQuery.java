package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Expr;
import java.util.List;

/** A compiled query body and the user variables whose bindings form the result rows. */
public record CompiledQuery(List<Expr> body, List<String> vars) {
  public CompiledQuery {
    body = List.copyOf(body);
    vars = List.copyOf(vars);
  }
}
