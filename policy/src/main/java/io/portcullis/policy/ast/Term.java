package io.portcullis.policy.ast;

import io.portcullis.policy.value.Value;
import java.util.List;

/** A Rego term: a scalar, a variable, a reference, a collection, a comprehension, a call or a template string. */
public sealed interface Term {
  Location location();

  /** The dotted name of a call operator ({@code a.b.c}), or null when the term is not a plain name. */
  static String dottedName(Term t) {
    if (t instanceof Var v) return v.name();
    if (t instanceof Ref r && r.head() instanceof Var v) {
      StringBuilder sb = new StringBuilder(v.name());
      for (Term p : r.path()) {
        if (!(p instanceof Scalar s) || !(s.value() instanceof io.portcullis.policy.value.StringValue sv)) return null;
        sb.append('.').append(sv.value());
      }
      return sb.toString();
    }
    return null;
  }

  /** A constant value (also used for collections that are fully constant). */
  record Scalar(Value value, Location location) implements Term {}

  /** A variable; after compilation, only local variables and the roots {@code data} and {@code input}. */
  record Var(String name, Location location) implements Term {
    public Var {
      name = name.intern();
    }

    public boolean isWildcard() { return name.startsWith("_"); }
  }

  /** {@code head.path[0][path[1]]...}; a path element written {@code .x} is the string scalar "x". */
  record Ref(Term head, List<Term> path, Location location) implements Term {
    public Ref { path = List.copyOf(path); }
  }

  record ArrayTerm(List<Term> items, Location location) implements Term {
    public ArrayTerm { items = List.copyOf(items); }
  }

  record SetTerm(List<Term> items, Location location) implements Term {
    public SetTerm { items = List.copyOf(items); }
  }

  record ObjectTerm(List<Entry> entries, Location location) implements Term {
    public ObjectTerm { entries = List.copyOf(entries); }
  }

  record Entry(Term key, Term value) {}

  record ArrayCompr(Term head, List<Expr> body, Location location) implements Term {}

  record SetCompr(Term head, List<Expr> body, Location location) implements Term {}

  record ObjectCompr(Term key, Term value, List<Expr> body, Location location) implements Term {}

  /**
   * A call. {@code operator} is the name as written ({@code count}, {@code data.lib.f}); after
   * compilation {@code target} says what it calls.
   */
  record Call(String operator, List<Term> args, CallTarget target, Location location) implements Term {
    public Call { args = List.copyOf(args); }
  }

  /** A function or builtin named as a value, only as the target or value of {@code with}. */
  record FuncRef(CallTarget target, Location location) implements Term {}

  /**
   * A template string {@code $"a {x} b"}: literal parts (String), term parts (Term) and, when a part
   * uses {@code with}, expression parts (Expr), in order.
   */
  record Template(List<Object> parts, Location location) implements Term {
    public Template { parts = List.copyOf(parts); }
  }
}
