package io.portcullis.policy.eval;

import io.portcullis.policy.value.Value;
import java.util.List;
import java.util.Map;

/**
 * The rows of a query (each maps the query's variables to values) and, in strict mode, the first
 * builtin error recorded while evaluation went on (null when none).
 */
public record EvalResult(List<Map<String, Value>> rows, EvalException strictError) {}
