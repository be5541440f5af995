package io.portcullis.policy.ast;

import java.util.List;

/**
 * A rule. {@code ref} is the head reference relative to the package (first element a string
 * scalar naming the rule). Complete and object rules have a {@code value}; multi-value rules
 * ({@code contains}) have a {@code key}; functions have {@code args}. {@code elseRule} chains else
 * branches.
 */
public record Rule(List<Term> ref, Kind kind, List<Term> args, Term key, Term value, List<Expr> body,
                   boolean isDefault, Rule elseRule, Location location) {
  public enum Kind { COMPLETE, MULTI, FUNCTION }

  public String name() {
    return ((io.portcullis.policy.value.StringValue) ((Term.Scalar) ref.get(0)).value()).value();
  }
}
