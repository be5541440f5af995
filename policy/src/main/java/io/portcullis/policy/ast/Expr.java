package io.portcullis.policy.ast;

import java.util.List;

/** One expression of a body, possibly negated, with its {@code with} modifiers. */
public record Expr(Kind kind, boolean negated, List<With> withs, Location location) {
  public Expr { withs = List.copyOf(withs); }

  public Expr withKind(Kind k) { return new Expr(k, negated, withs, location); }

  /** What the expression does. */
  public sealed interface Kind {}

  /** A term whose value must be defined and not false. */
  public record TermExpr(Term term) implements Kind {}

  /** {@code a = b} (unification) or, before compilation, {@code a := b} when {@code declare} is true. */
  public record Unify(Term left, Term right, boolean declare) implements Kind {}

  /** {@code some x, y}. */
  public record SomeDecl(List<Term.Var> vars) implements Kind {}

  /** {@code some [key,] value in collection}; key is null when absent. */
  public record SomeIn(Term key, Term value, Term collection) implements Kind {}

  /** {@code every [key,] value in domain { body }}. */
  public record Every(Term key, Term value, Term domain, List<Expr> body) implements Kind {}

  /** {@code target as value}. */
  public record With(Term target, Term value, Location location) {}
}
