package io.portcullis.policy.eval;

import io.portcullis.policy.compiler.CompiledPolicy;
import io.portcullis.policy.compiler.CompiledQuery;
import io.portcullis.policy.value.Value;

/** Evaluates compiled queries against a compiled policy. Stateless: one instance serves many threads. */
public final class Evaluator {
  private final CompiledPolicy policy;

  public Evaluator(CompiledPolicy policy) { this.policy = policy; }

  /**
   * Runs a query. {@code input} null means undefined; {@code data} is the base document (null means
   * empty). Errors other than recorded strict builtin errors are thrown as {@link EvalException}.
   */
  public EvalResult evaluate(CompiledQuery query, Value input, Value data, EvalOptions options) {
    Evaluation ev = new Evaluation(policy, options);
    var rows = ev.run(query, input, data);
    return new EvalResult(rows, ev.strictError());
  }
}
