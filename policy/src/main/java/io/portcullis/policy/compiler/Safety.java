package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Location;
import io.portcullis.policy.ast.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stage "CheckSafety": orders the expressions of every body so that each runs only once the
 * variables it needs are bound (as OPA reorders bodies), and reports the variables no order can bind
 * as {@code rego_unsafe_var_error}.
 */
final class Safety {
  private final List<CompileError> errors;

  Safety(List<CompileError> errors) { this.errors = errors; }

  /** Needed and produced variables of one expression. */
  private record Io(Set<String> needs, Set<String> outputs) {}

  /**
   * Reorders a body. {@code bound} holds the variables bound on entry and receives those bound by
   * the body; {@code visible} are the variables of enclosing bodies (closure inputs).
   */
  List<Expr> reorder(List<Expr> body, Set<String> bound, Set<String> visible) {
    Set<String> bodyVisible = new HashSet<>(visible);
    Map<String, Integer> occurrences = new HashMap<>();
    for (Expr e : body) {
      Set<String> vs = new HashSet<>();
      Terms.openVars(e, vs);
      bodyVisible.addAll(vs);
      for (String v : vs) occurrences.merge(v, 1, Integer::sum);
    }
    List<Expr> remaining = new ArrayList<>(body);
    List<Expr> out = new ArrayList<>(body.size());
    while (!remaining.isEmpty()) {
      boolean progressed = false;
      for (int i = 0; i < remaining.size(); i++) {
        Expr e = remaining.get(i);
        if (ready(e, bound, bodyVisible, visible, occurrences)) {
          remaining.remove(i);
          out.add(closures(e, bound, bodyVisible));
          bound.addAll(io(e, bodyVisible, visible, occurrences).outputs());
          progressed = true;
          break;
        }
      }
      if (!progressed) {
        Expr e = remaining.get(0);
        Set<String> unsafe = new TreeSet<>(io(e, bodyVisible, visible, occurrences).needs());
        unsafe.removeAll(bound);
        if (unsafe.isEmpty()) {
          Set<String> all = new TreeSet<>();
          Terms.openVars(e, all);
          all.removeAll(bound);
          unsafe = all;
        }
        Set<String> names = new TreeSet<>();
        for (String v : unsafe) names.add(displayName(v));
        for (String v : names) errors.add(new CompileError("rego_unsafe_var_error", "var " + v + " is unsafe", e.location()));
        return out;
      }
    }
    return out;
  }

  static String displayName(String v) {
    int i = v.indexOf('$');
    return i < 0 ? v : i == 1 && v.charAt(0) == '_' ? "_" : v.substring(0, i);
  }

  /** Checks that the head variables are bound by the body. */
  void checkHead(List<Term> heads, Set<String> bound, Location loc) {
    Set<String> vars = new TreeSet<>();
    for (Term t : heads) if (t != null) evalNeeds(t, vars, new HashSet<>(), bound);
    for (String v : vars) {
      if (!bound.contains(v)) errors.add(new CompileError("rego_unsafe_var_error", "var " + displayName(v) + " is unsafe", loc));
    }
  }

  private boolean ready(Expr e, Set<String> bound, Set<String> bodyVisible, Set<String> outer, Map<String, Integer> occ) {
    Io io = io(e, bodyVisible, outer, occ);
    if (!bound.containsAll(io.needs())) return false;
    if (!e.negated() && e.kind() instanceof Expr.Unify u) return unifiable(u.left(), u.right(), new HashSet<>(bound), bodyVisible);
    return true;
  }

  private boolean unifiable(Term a, Term b, Set<String> bound, Set<String> visible) {
    if (evaluable(a, bound, visible) || evaluable(b, bound, visible)) return true;
    if (a instanceof Term.ArrayTerm x && b instanceof Term.ArrayTerm y && x.items().size() == y.items().size()) {
      for (int i = 0; i < x.items().size(); i++) {
        if (!unifiable(x.items().get(i), y.items().get(i), bound, visible)) return false;
        Terms.openVars(x.items().get(i), bound);
        Terms.openVars(y.items().get(i), bound);
      }
      return true;
    }
    if (a instanceof Term.ObjectTerm x && b instanceof Term.ObjectTerm y && x.entries().size() == y.entries().size()) {
      for (Term.Entry e : x.entries()) if (!evaluable(e.key(), bound, visible)) return false;
      for (Term.Entry e : y.entries()) if (!evaluable(e.key(), bound, visible)) return false;
      return true;
    }
    return false;
  }

  private boolean evaluable(Term t, Set<String> bound, Set<String> visible) {
    Set<String> needs = new HashSet<>();
    evalNeeds(t, needs, new HashSet<>(), visible);
    return bound.containsAll(needs);
  }

  private Io io(Expr e, Set<String> bodyVisible, Set<String> outer, Map<String, Integer> occ) {
    Set<String> needs = new LinkedHashSet<>();
    Set<String> outputs = new LinkedHashSet<>();
    Expr.Kind k = e.kind();
    if (e.negated()) {
      Set<String> vs = new LinkedHashSet<>();
      Terms.allVars(e, vs);
      for (String v : vs) {
        if (outer.contains(v) || occ.getOrDefault(v, 0) > 1) needs.add(v);
      }
      // a negated expression binds nothing
    } else if (k instanceof Expr.TermExpr t) {
      evalNeeds(t.term(), needs, outputs, bodyVisible);
    } else if (k instanceof Expr.Unify u) {
      Set<String> n1 = new LinkedHashSet<>();
      Set<String> n2 = new LinkedHashSet<>();
      patternNeeds(u.left(), n1, outputs, bodyVisible);
      patternNeeds(u.right(), n2, outputs, bodyVisible);
      needs.addAll(n1);
      needs.addAll(n2);
      Terms.openVars(u.left(), outputs);
      Terms.openVars(u.right(), outputs);
    } else if (k instanceof Expr.SomeIn si) {
      evalNeeds(si.collection(), needs, outputs, bodyVisible);
      if (si.key() != null) patternNeeds(si.key(), needs, outputs, bodyVisible);
      patternNeeds(si.value(), needs, outputs, bodyVisible);
    } else if (k instanceof Expr.Every ev) {
      evalNeeds(ev.domain(), needs, outputs, bodyVisible);
      Set<String> inner = new HashSet<>();
      Terms.allVars(ev.body(), inner);
      for (String v : inner) if (bodyVisible.contains(v)) needs.add(v);
      outputs.clear();
      Terms.openVars(ev.domain(), outputs);
    }
    for (Expr.With w : e.withs()) evalNeeds(w.value(), needs, new HashSet<>(), bodyVisible);
    return new Io(needs, outputs);
  }

  /** Variables a term needs bound to be evaluated, and those its evaluation can bind (ref iteration). */
  private void evalNeeds(Term t, Set<String> needs, Set<String> outputs, Set<String> visible) {
    if (t instanceof Term.Var v) {
      if (!Terms.isRoot(v.name())) needs.add(v.name());
    } else if (t instanceof Term.Ref r) {
      evalNeeds(r.head(), needs, outputs, visible);
      for (Term p : r.path()) {
        if (p instanceof Term.Var v) {
          outputs.add(v.name());
        } else if (p instanceof Term.ArrayTerm || p instanceof Term.ObjectTerm) {
          patternNeeds(p, needs, outputs, visible);
        } else {
          evalNeeds(p, needs, outputs, visible);
        }
      }
    } else if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) evalNeeds(x, needs, outputs, visible);
    } else if (t instanceof Term.SetTerm s) {
      for (Term x : s.items()) evalNeeds(x, needs, outputs, visible);
    } else if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) {
        evalNeeds(e.key(), needs, outputs, visible);
        evalNeeds(e.value(), needs, outputs, visible);
      }
    } else if (t instanceof Term.Call c) {
      for (Term x : c.args()) evalNeeds(x, needs, outputs, visible);
    } else if (t instanceof Term.ArrayCompr || t instanceof Term.SetCompr || t instanceof Term.ObjectCompr
        || t instanceof Term.Template) {
      Set<String> inner = new HashSet<>();
      Terms.allVars(t, inner);
      for (String v : inner) if (visible.contains(v)) needs.add(v);
    }
  }

  /** Like {@link #evalNeeds} for a term unified with a value: its plain variables are outputs. */
  private void patternNeeds(Term t, Set<String> needs, Set<String> outputs, Set<String> visible) {
    if (t instanceof Term.Var v) {
      if (!Terms.isRoot(v.name())) outputs.add(v.name());
    } else if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) patternNeeds(x, needs, outputs, visible);
    } else if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) {
        evalNeeds(e.key(), needs, outputs, visible);
        patternNeeds(e.value(), needs, outputs, visible);
      }
    } else {
      evalNeeds(t, needs, outputs, visible);
    }
  }

  // ---------------------------------------------------------------- nested closures

  private Expr closures(Expr e, Set<String> bound, Set<String> visible) {
    Expr.Kind k = e.kind();
    Expr.Kind nk = k;
    if (k instanceof Expr.TermExpr t) {
      nk = new Expr.TermExpr(fix(t.term(), bound, visible));
    } else if (k instanceof Expr.Unify u) {
      nk = new Expr.Unify(fix(u.left(), bound, visible), fix(u.right(), bound, visible), u.declare());
    } else if (k instanceof Expr.SomeIn si) {
      nk = new Expr.SomeIn(si.key() == null ? null : fix(si.key(), bound, visible), fix(si.value(), bound, visible),
          fix(si.collection(), bound, visible));
    } else if (k instanceof Expr.Every ev) {
      Set<String> b = new HashSet<>(bound);
      if (ev.key() != null) Terms.allVars(ev.key(), b);
      Terms.allVars(ev.value(), b);
      Terms.openVars(ev.domain(), b);
      nk = new Expr.Every(ev.key(), ev.value(), fix(ev.domain(), bound, visible), reorder(ev.body(), b, visible));
    }
    List<Expr.With> ws = new ArrayList<>();
    for (Expr.With w : e.withs()) ws.add(new Expr.With(w.target(), fix(w.value(), bound, visible), w.location()));
    return new Expr(nk, e.negated(), ws, e.location());
  }

  private List<Term> fixAll(List<Term> ts, Set<String> bound, Set<String> visible) {
    List<Term> out = new ArrayList<>(ts.size());
    for (Term t : ts) out.add(fix(t, bound, visible));
    return out;
  }

  private Term fix(Term t, Set<String> bound, Set<String> visible) {
    if (t instanceof Term.Ref r) return new Term.Ref(fix(r.head(), bound, visible), fixAll(r.path(), bound, visible), r.location());
    if (t instanceof Term.ArrayTerm a) return new Term.ArrayTerm(fixAll(a.items(), bound, visible), a.location());
    if (t instanceof Term.SetTerm s) return new Term.SetTerm(fixAll(s.items(), bound, visible), s.location());
    if (t instanceof Term.ObjectTerm o) {
      List<Term.Entry> es = new ArrayList<>();
      for (Term.Entry e : o.entries()) es.add(new Term.Entry(fix(e.key(), bound, visible), fix(e.value(), bound, visible)));
      return new Term.ObjectTerm(es, o.location());
    }
    if (t instanceof Term.Call c) return new Term.Call(c.operator(), fixAll(c.args(), bound, visible), c.target(), c.location());
    if (t instanceof Term.ArrayCompr c) {
      Set<String> b = new HashSet<>(bound);
      List<Expr> body = reorder(c.body(), b, visible);
      checkHead(List.of(c.head()), b, c.location());
      return new Term.ArrayCompr(fix(c.head(), b, visible), body, c.location());
    }
    if (t instanceof Term.SetCompr c) {
      Set<String> b = new HashSet<>(bound);
      List<Expr> body = reorder(c.body(), b, visible);
      checkHead(List.of(c.head()), b, c.location());
      return new Term.SetCompr(fix(c.head(), b, visible), body, c.location());
    }
    if (t instanceof Term.ObjectCompr c) {
      Set<String> b = new HashSet<>(bound);
      List<Expr> body = reorder(c.body(), b, visible);
      checkHead(List.of(c.key(), c.value()), b, c.location());
      return new Term.ObjectCompr(fix(c.key(), b, visible), fix(c.value(), b, visible), body, c.location());
    }
    return t;
  }
}
