package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Term;
import java.util.Collection;
import java.util.List;

/** Variable collection over terms and expressions, shared by the compiler stages. */
final class Terms {
  private Terms() {}

  static boolean isRoot(String name) { return name.equals("data") || name.equals("input"); }

  /** Every variable name in a term, including those inside comprehensions and templates. */
  static void allVars(Term t, Collection<String> out) {
    if (t instanceof Term.Var v) {
      if (!isRoot(v.name())) out.add(v.name());
    } else if (t instanceof Term.Ref r) {
      allVars(r.head(), out);
      for (Term p : r.path()) allVars(p, out);
    } else if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) allVars(x, out);
    } else if (t instanceof Term.SetTerm s) {
      for (Term x : s.items()) allVars(x, out);
    } else if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) {
        allVars(e.key(), out);
        allVars(e.value(), out);
      }
    } else if (t instanceof Term.ArrayCompr c) {
      allVars(c.head(), out);
      allVars(c.body(), out);
    } else if (t instanceof Term.SetCompr c) {
      allVars(c.head(), out);
      allVars(c.body(), out);
    } else if (t instanceof Term.ObjectCompr c) {
      allVars(c.key(), out);
      allVars(c.value(), out);
      allVars(c.body(), out);
    } else if (t instanceof Term.Call c) {
      for (Term x : c.args()) allVars(x, out);
    } else if (t instanceof Term.Template tp) {
      for (Object p : tp.parts()) {
        if (p instanceof Term x) allVars(x, out);
        if (p instanceof Expr x) allVars(x, out);
      }
    }
  }

  static void allVars(List<Expr> body, Collection<String> out) {
    for (Expr e : body) allVars(e, out);
  }

  static void allVars(Expr e, Collection<String> out) {
    Expr.Kind k = e.kind();
    if (k instanceof Expr.TermExpr t) {
      allVars(t.term(), out);
    } else if (k instanceof Expr.Unify u) {
      allVars(u.left(), out);
      allVars(u.right(), out);
    } else if (k instanceof Expr.SomeDecl s) {
      for (Term.Var v : s.vars()) out.add(v.name());
    } else if (k instanceof Expr.SomeIn s) {
      if (s.key() != null) allVars(s.key(), out);
      allVars(s.value(), out);
      allVars(s.collection(), out);
    } else if (k instanceof Expr.Every ev) {
      if (ev.key() != null) allVars(ev.key(), out);
      allVars(ev.value(), out);
      allVars(ev.domain(), out);
      allVars(ev.body(), out);
    }
    for (Expr.With w : e.withs()) {
      allVars(w.target(), out);
      allVars(w.value(), out);
    }
  }

  /** Variable names of a term outside of closures (comprehensions, templates). */
  static void openVars(Term t, Collection<String> out) {
    if (t instanceof Term.Var v) {
      if (!isRoot(v.name())) out.add(v.name());
    } else if (t instanceof Term.Ref r) {
      openVars(r.head(), out);
      for (Term p : r.path()) openVars(p, out);
    } else if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) openVars(x, out);
    } else if (t instanceof Term.SetTerm s) {
      for (Term x : s.items()) openVars(x, out);
    } else if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) {
        openVars(e.key(), out);
        openVars(e.value(), out);
      }
    } else if (t instanceof Term.Call c) {
      for (Term x : c.args()) openVars(x, out);
    }
  }

  /** Variable names of an expression outside of closures and every bodies. */
  static void openVars(Expr e, Collection<String> out) {
    Expr.Kind k = e.kind();
    if (k instanceof Expr.TermExpr t) {
      openVars(t.term(), out);
    } else if (k instanceof Expr.Unify u) {
      openVars(u.left(), out);
      openVars(u.right(), out);
    } else if (k instanceof Expr.SomeDecl s) {
      for (Term.Var v : s.vars()) out.add(v.name());
    } else if (k instanceof Expr.SomeIn s) {
      if (s.key() != null) openVars(s.key(), out);
      openVars(s.value(), out);
      openVars(s.collection(), out);
    } else if (k instanceof Expr.Every ev) {
      openVars(ev.domain(), out);
    }
  }
}
