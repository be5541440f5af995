package io.portcullis.policy.builtins;

import io.portcullis.policy.value.Value;
import java.util.List;

/**
 * One built-in function: its Rego name (e.g. {@code "strings.replace_n"}), its number of arguments,
 * and its implementation.
 *
 * @param name the dotted name a policy calls
 * @param arity the number of arguments (the output is not counted)
 * @param nondeterministic true for builtins whose result must be cached per query ({@code time.now_ns},
 *     {@code rand.intn}, {@code uuid.rfc4122}): the evaluator returns the first result for the same
 *     arguments for the rest of the query
 * @param implementation the code
 */
public record Builtin(String name, int arity, boolean nondeterministic, Implementation implementation) {

  /** The code of a builtin. */
  @FunctionalInterface
  public interface Implementation {
    /**
     * Computes the result.
     *
     * @return the result, or {@code null} when the call is undefined
     * @throws BuiltinException with {@link BuiltinException.Kind#TYPE} for operand type errors and
     *     {@link BuiltinException.Kind#BUILTIN} for other failures; the evaluator decides (strict mode
     *     or not) whether the error stops evaluation or makes the call undefined
     */
    Value call(BuiltinContext context, List<Value> args) throws BuiltinException;
  }

  public static Builtin of(String name, int arity, Implementation implementation) {
    return new Builtin(name, arity, false, implementation);
  }
}
