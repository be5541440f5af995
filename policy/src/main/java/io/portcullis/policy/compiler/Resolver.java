package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.CallTarget;
import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Location;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.value.StringValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Stages "ResolveRefs" and "RewriteLocalVars": turns names into references ({@code p} in package
 * {@code a} becomes {@code data.a.p}; import aliases expand), resolves call targets (user function or
 * builtin; anything else is a compile error naming it), gives every wildcard and every shadowing
 * declaration a unique name, and rewrites calls with an output argument into unifications.
 */
final class Resolver {
  /** Returned by the arity lookup for variadic builtins. */
  static final int VARIADIC = -1;
  /** Returned by the arity lookup for unknown names. */
  static final int UNKNOWN = -2;

  private final List<String> pkg;
  private final Set<String> ruleNames;
  private final Map<String, Term.Ref> imports;
  private final Map<String, Integer> functions;
  private final ToIntFunction<String> builtinArity;
  private final io.portcullis.policy.builtins.BuiltinRegistry builtins;
  private final List<CompileError> errors;
  private final int[] counter;

  Resolver(List<String> pkg, Set<String> ruleNames, Map<String, Term.Ref> imports, Map<String, Integer> functions,
           ToIntFunction<String> builtinArity, io.portcullis.policy.builtins.BuiltinRegistry builtins,
           List<CompileError> errors, int[] counter) {
    this.builtins = builtins;
    this.pkg = pkg;
    this.ruleNames = ruleNames;
    this.imports = imports;
    this.functions = functions;
    this.builtinArity = builtinArity;
    this.errors = errors;
    this.counter = counter;
  }

  private io.portcullis.policy.value.Value metadataRule = io.portcullis.policy.value.ObjectValue.EMPTY;
  private io.portcullis.policy.value.Value metadataChain = io.portcullis.policy.value.ArrayValue.EMPTY;

  /** Sets the values of rego.metadata.rule() and rego.metadata.chain() for the rule rewritten next. */
  void setMetadata(io.portcullis.policy.value.Value rule, io.portcullis.policy.value.Value chain) {
    this.metadataRule = rule;
    this.metadataChain = chain;
  }

  /** Lexical scope: original variable name to the name used at run time. */
  private static final class Scope {
    final Scope parent;
    final Map<String, String> locals = new HashMap<>();
    /** Names declared in this scope with :=, some or as function arguments (redeclaring one is an error). */
    final Set<String> declared = new java.util.HashSet<>();

    Scope(Scope parent) { this.parent = parent; }

    String lookup(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        String r = s.locals.get(name);
        if (r != null) return r;
      }
      return null;
    }
  }

  private String fresh(String base) {
    return base.equals("_") ? "_$" + (counter[0]++) : base + "$" + (counter[0]++);
  }

  private boolean isGlobalName(String name) {
    return Terms.isRoot(name) || imports.containsKey(name) || ruleNames.contains(name);
  }

  // ---------------------------------------------------------------- rules and queries

  Rule rewriteRule(Rule r) {
    Scope s = new Scope(null);
    Set<String> argVars = new LinkedHashSet<>();
    for (Term a : r.args()) Terms.openVars(a, argVars);
    Set<String> declared = new LinkedHashSet<>();
    declaredIn(r.body(), declared);
    Set<String> names = new LinkedHashSet<>();
    for (Expr e : r.body()) openNames(e, names, s);
    for (int i = 1; i < r.ref().size(); i++) Terms.openVars(r.ref().get(i), names);
    if (r.key() != null) Terms.openVars(r.key(), names);
    if (r.value() != null) Terms.openVars(r.value(), names);
    for (String n : argVars) {
      if (n.equals("_")) continue;
      s.locals.put(n, n);
      s.declared.add(n);
    }
    for (String n : names) {
      if (n.equals("_") || declared.contains(n) || argVars.contains(n)) continue;
      if (!isGlobalName(n)) s.locals.put(n, n);
    }
    List<Term> args = rewriteTerms(r.args(), s);
    List<Expr> body = rewriteBody(r.body(), s, false);
    List<Term> ref = new ArrayList<>();
    ref.add(r.ref().get(0));
    for (int i = 1; i < r.ref().size(); i++) ref.add(rewriteTerm(r.ref().get(i), s));
    Term key = r.key() == null ? null : rewriteTerm(r.key(), s);
    Term value = r.value() == null ? null : rewriteTerm(r.value(), s);
    Rule elseRule = r.elseRule() == null ? null : rewriteRule(r.elseRule());
    for (Expr e : body) checkArities(e);
    for (Term t : ref) checkArity(t);
    if (key != null) checkArity(key);
    if (value != null) checkArity(value);
    return new Rule(ref, r.kind(), args, key, value, body, r.isDefault(), elseRule, r.location());
  }

  /** Rewrites a query; returns the body and fills {@code queryVars} with its user variables in order. */
  List<Expr> rewriteQuery(List<Expr> body, Set<String> queryVars) {
    Scope s = new Scope(null);
    Set<String> declared = new LinkedHashSet<>();
    declaredIn(body, declared);
    Set<String> names = new LinkedHashSet<>();
    for (Expr e : body) openNames(e, names, s);
    names.addAll(declared);
    for (String n : names) {
      if (n.equals("_")) continue;
      if (declared.contains(n) || !isGlobalName(n)) queryVars.add(n);
      if (!declared.contains(n) && !isGlobalName(n)) s.locals.put(n, n);
    }
    List<Expr> out = rewriteBody(body, s, false);
    for (Expr e : out) checkArities(e);
    return out;
  }

  /** Open variable names of an expression; a with value naming a function or builtin is not a variable. */
  private void openNames(Expr e, Set<String> out, Scope s) {
    Terms.openVars(e, out);
    for (Expr.With w : e.withs()) {
      String name = Term.dottedName(w.value());
      if (name != null && s.lookup(name.split("\\.")[0]) == null && resolveOperator(name, w.value().location(), false) != null) {
        continue;
      }
      Terms.openVars(w.value(), out);
    }
  }

  private static void declaredIn(List<Expr> body, Set<String> out) {
    for (Expr e : body) declaredBy(e, out);
  }

  private static void declaredBy(Expr e, Set<String> out) {
    Expr.Kind k = e.kind();
    if (k instanceof Expr.SomeDecl sd) {
      for (Term.Var v : sd.vars()) out.add(v.name());
    } else if (k instanceof Expr.Unify u && u.declare()) {
      Terms.openVars(u.left(), out);
    } else if (k instanceof Expr.SomeIn si) {
      if (si.key() != null) Terms.openVars(si.key(), out);
      Terms.openVars(si.value(), out);
    }
  }

  /**
   * Opens a nested scope for a closure body: its own variables (declared, or not visible outside)
   * get fresh names, so they never collide with variables of enclosing bodies. {@code extraDeclared}
   * are declared up front (every's key and value).
   */
  private Scope nested(Scope outer, List<Expr> body, List<Term> heads, Set<String> extraDeclared) {
    Scope ns = new Scope(outer);
    Set<String> declared = new LinkedHashSet<>();
    declaredIn(body, declared);
    Set<String> names = new LinkedHashSet<>();
    for (Expr e : body) openNames(e, names, outer);
    for (Term h : heads) Terms.openVars(h, names);
    for (String n : extraDeclared) if (!n.equals("_")) ns.locals.put(n, fresh(n));
    for (String n : names) {
      if (n.equals("_") || declared.contains(n) || extraDeclared.contains(n)) continue;
      if (outer.lookup(n) == null && !isGlobalName(n)) ns.locals.put(n, fresh(n));
    }
    return ns;
  }

  // ---------------------------------------------------------------- bodies and expressions

  /** Rewrites a body; each declaration enters the scope at its expression (fresh names in nested bodies). */
  private List<Expr> rewriteBody(List<Expr> body, Scope s, boolean renameDeclared) {
    List<Expr> out = new ArrayList<>(body.size());
    for (Expr e : body) {
      Set<String> decl = new LinkedHashSet<>();
      declaredBy(e, decl);
      boolean assign = e.kind() instanceof Expr.Unify u && u.declare();
      for (String n : decl) {
        if (n.equals("_")) continue;
        if (assign && s.declared.contains(n)) {
          errors.add(new CompileError("rego_compile_error", "var " + n + " assigned above", e.location()));
        }
        s.declared.add(n);
        String prev = s.locals.get(n);
        if (prev == null) {
          s.locals.put(n, renameDeclared ? fresh(n) : n);
        }
      }
      out.add(rewriteExpr(e, s));
    }
    return out;
  }

  private Expr rewriteExpr(Expr e, Scope s) {
    Expr.Kind k = e.kind();
    Expr.Kind nk;
    if (k instanceof Expr.TermExpr t) {
      Term term = rewriteTerm(t.term(), s);
      nk = new Expr.TermExpr(term);
      if (term instanceof Term.Call c && c.target() != null) {
        int arity = arityOf(c.target());
        if (arity >= 0 && c.args().size() == arity + 1) {
          Term out = c.args().get(arity);
          Term.Call call = new Term.Call(c.operator(), c.args().subList(0, arity), c.target(), c.location());
          nk = new Expr.Unify(call, out, false);
        }
      }
    } else if (k instanceof Expr.Unify u) {
      nk = new Expr.Unify(rewriteTerm(u.left(), s), rewriteTerm(u.right(), s), u.declare());
      if (u.declare()) checkAssignable(u.left(), e.location());
    } else if (k instanceof Expr.SomeDecl sd) {
      List<Term.Var> vars = new ArrayList<>();
      for (Term.Var v : sd.vars()) vars.add((Term.Var) rewriteTerm(v, s));
      nk = new Expr.SomeDecl(vars);
    } else if (k instanceof Expr.SomeIn si) {
      nk = new Expr.SomeIn(si.key() == null ? null : rewriteTerm(si.key(), s), rewriteTerm(si.value(), s),
          rewriteTerm(si.collection(), s));
    } else {
      Expr.Every ev = (Expr.Every) k;
      Term domain = rewriteTerm(ev.domain(), s);
      Set<String> decl = new LinkedHashSet<>();
      if (ev.key() != null) Terms.openVars(ev.key(), decl);
      Terms.openVars(ev.value(), decl);
      Scope ns = nested(s, ev.body(), List.of(), decl);
      nk = new Expr.Every(ev.key() == null ? null : rewriteTerm(ev.key(), ns), rewriteTerm(ev.value(), ns), domain,
          rewriteBody(ev.body(), ns, true));
    }
    List<Expr.With> withs = new ArrayList<>();
    for (Expr.With w : e.withs()) withs.add(rewriteWith(w, s));
    return new Expr(nk, e.negated(), withs, e.location());
  }

  private void checkAssignable(Term left, Location loc) {
    if (left instanceof Term.Var || left instanceof Term.ArrayTerm || left instanceof Term.ObjectTerm) return;
    errors.add(new CompileError("rego_compile_error", "cannot assign to " + describe(left), loc));
  }

  private static String describe(Term t) {
    if (t instanceof Term.Ref) return "ref";
    if (t instanceof Term.Call) return "call";
    if (t instanceof Term.Scalar) return "scalar";
    return "term";
  }

  private void checkArities(Expr e) {
    Expr.Kind k = e.kind();
    if (k instanceof Expr.TermExpr t) {
      checkArity(t.term());
    } else if (k instanceof Expr.Unify u) {
      checkArity(u.left());
      checkArity(u.right());
    } else if (k instanceof Expr.SomeIn si) {
      if (si.key() != null) checkArity(si.key());
      checkArity(si.value());
      checkArity(si.collection());
    } else if (k instanceof Expr.Every ev) {
      checkArity(ev.domain());
      for (Expr x : ev.body()) checkArities(x);
    }
    for (Expr.With w : e.withs()) checkArity(w.value());
  }

  private void checkArity(Term t) {
    if (t instanceof Term.Call c) {
      if (c.target() != null) {
        int arity = arityOf(c.target());
        if (arity >= 0 && c.args().size() != arity) {
          String name = c.target() instanceof CallTarget.FunctionTarget ft ? ft.dotted() : c.operator();
          errors.add(new CompileError("rego_type_error",
              name + ": arity mismatch: expected " + arity + " argument" + (arity == 1 ? "" : "s") + ", got " + c.args().size(),
              c.location()));
        }
      }
      for (Term a : c.args()) checkArity(a);
    } else if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) checkArity(x);
    } else if (t instanceof Term.SetTerm st) {
      for (Term x : st.items()) checkArity(x);
    } else if (t instanceof Term.Ref r) {
      checkArity(r.head());
      for (Term x : r.path()) checkArity(x);
    } else if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) {
        checkArity(e.key());
        checkArity(e.value());
      }
    } else if (t instanceof Term.ArrayCompr c) {
      checkArity(c.head());
      for (Expr x : c.body()) checkArities(x);
    } else if (t instanceof Term.SetCompr c) {
      checkArity(c.head());
      for (Expr x : c.body()) checkArities(x);
    } else if (t instanceof Term.ObjectCompr c) {
      checkArity(c.key());
      checkArity(c.value());
      for (Expr x : c.body()) checkArities(x);
    } else if (t instanceof Term.Template tp) {
      for (Object p : tp.parts()) {
        if (p instanceof Term x) checkArity(x);
        if (p instanceof Expr x) checkArities(x);
      }
    }
  }

  private int arityOf(CallTarget t) {
    if (t instanceof CallTarget.FunctionTarget f) return functions.getOrDefault(String.join(".", f.path()), UNKNOWN);
    return builtinArity.applyAsInt(((CallTarget.BuiltinTarget) t).name());
  }

  private Expr.With rewriteWith(Expr.With w, Scope s) {
    Term target = w.target();
    Term newTarget = null;
    String name = Term.dottedName(target);
    if (name != null && !name.equals("input") && !name.startsWith("input.") && s.lookup(name.split("\\.")[0]) == null) {
      CallTarget ct = resolveOperator(name, target.location(), false);
      if (ct != null) newTarget = new Term.FuncRef(ct, target.location());
    }
    if (newTarget == null) {
      newTarget = rewriteTerm(target, s);
      boolean ok = newTarget instanceof Term.Var v && Terms.isRoot(v.name())
          || newTarget instanceof Term.Ref r && r.head() instanceof Term.Var hv && Terms.isRoot(hv.name());
      if (!ok) {
        String what = name != null ? name + " " : "";
        errors.add(new CompileError("rego_compile_error",
            "with keyword target " + what + "must reference existing input, data, or a function", w.location()));
      }
    }
    Term value = w.value();
    Term newValue = null;
    String vname = Term.dottedName(value);
    if (newTarget instanceof Term.FuncRef && vname != null && s.lookup(vname.split("\\.")[0]) == null) {
      CallTarget ct = resolveOperator(vname, value.location(), false);
      if (ct != null) newValue = new Term.FuncRef(ct, value.location());
    }
    if (newValue == null) newValue = rewriteTerm(value, s);
    return new Expr.With(newTarget, newValue, w.location());
  }

  // ---------------------------------------------------------------- terms

  private List<Term> rewriteTerms(List<Term> ts, Scope s) {
    List<Term> out = new ArrayList<>(ts.size());
    for (Term t : ts) out.add(rewriteTerm(t, s));
    return out;
  }

  Term rewriteTerm(Term t, Scope s) {
    if (t instanceof Term.Var v) return rewriteVar(v, s);
    if (t instanceof Term.Ref r) {
      Term head = rewriteTerm(r.head(), s);
      List<Term> path = rewriteTerms(r.path(), s);
      if (head instanceof Term.Ref hr) {
        List<Term> merged = new ArrayList<>(hr.path());
        merged.addAll(path);
        return new Term.Ref(hr.head(), merged, r.location());
      }
      return new Term.Ref(head, path, r.location());
    }
    if (t instanceof Term.ArrayTerm a) return fold(new Term.ArrayTerm(rewriteTerms(a.items(), s), a.location()));
    if (t instanceof Term.SetTerm st) return fold(new Term.SetTerm(rewriteTerms(st.items(), s), st.location()));
    if (t instanceof Term.ObjectTerm o) {
      List<Term.Entry> es = new ArrayList<>();
      for (Term.Entry e : o.entries()) es.add(new Term.Entry(rewriteTerm(e.key(), s), rewriteTerm(e.value(), s)));
      return fold(new Term.ObjectTerm(es, o.location()));
    }
    if (t instanceof Term.ArrayCompr c) {
      Scope ns = nested(s, c.body(), List.of(c.head()), Set.of());
      List<Expr> body = rewriteBody(c.body(), ns, true);
      return new Term.ArrayCompr(rewriteTerm(c.head(), ns), body, c.location());
    }
    if (t instanceof Term.SetCompr c) {
      Scope ns = nested(s, c.body(), List.of(c.head()), Set.of());
      List<Expr> body = rewriteBody(c.body(), ns, true);
      return new Term.SetCompr(rewriteTerm(c.head(), ns), body, c.location());
    }
    if (t instanceof Term.ObjectCompr c) {
      Scope ns = nested(s, c.body(), List.of(c.key(), c.value()), Set.of());
      List<Expr> body = rewriteBody(c.body(), ns, true);
      return new Term.ObjectCompr(rewriteTerm(c.key(), ns), rewriteTerm(c.value(), ns), body, c.location());
    }
    if (t instanceof Term.Call c) {
      List<Term> args = rewriteTerms(c.args(), s);
      CallTarget target = resolveOperator(c.operator(), c.location(), true);
      if (target instanceof CallTarget.BuiltinTarget bt && c.args().isEmpty()) {
        if (bt.name().equals("rego.metadata.rule")) return new Term.Scalar(metadataRule, c.location());
        if (bt.name().equals("rego.metadata.chain")) return new Term.Scalar(metadataChain, c.location());
      }
      return new Term.Call(c.operator(), args, target, c.location());
    }
    if (t instanceof Term.Template tp) {
      List<Object> parts = new ArrayList<>();
      for (Object p : tp.parts()) {
        if (p instanceof Term pt) {
          Scope ns = nested(s, List.of(), List.of(pt), Set.of());
          parts.add(rewriteTerm(pt, ns));
        } else if (p instanceof Expr pe) {
          Scope ns = nested(s, List.of(pe), List.of(), Set.of());
          parts.add(rewriteExpr(pe, ns));
        } else {
          parts.add(p);
        }
      }
      return new Term.Template(parts, tp.location());
    }
    return t;
  }

  /** A collection whose members are all constants becomes one constant (no work, and no deep recursion, at run time). */
  private static Term fold(Term t) {
    if (t instanceof Term.ArrayTerm a) {
      List<io.portcullis.policy.value.Value> vs = new ArrayList<>();
      for (Term x : a.items()) {
        if (!(x instanceof Term.Scalar sc)) return t;
        vs.add(sc.value());
      }
      return new Term.Scalar(new io.portcullis.policy.value.ArrayValue(vs), t.location());
    }
    if (t instanceof Term.SetTerm st) {
      List<io.portcullis.policy.value.Value> vs = new ArrayList<>();
      for (Term x : st.items()) {
        if (!(x instanceof Term.Scalar sc)) return t;
        vs.add(sc.value());
      }
      return new Term.Scalar(io.portcullis.policy.value.SetValue.of(vs), t.location());
    }
    Term.ObjectTerm o = (Term.ObjectTerm) t;
    java.util.TreeMap<io.portcullis.policy.value.Value, io.portcullis.policy.value.Value> m = new java.util.TreeMap<>();
    for (Term.Entry e : o.entries()) {
      if (!(e.key() instanceof Term.Scalar k) || !(e.value() instanceof Term.Scalar v)) return t;
      m.put(k.value(), v.value());
    }
    return new Term.Scalar(io.portcullis.policy.value.ObjectValue.of(m), t.location());
  }

  private Term rewriteVar(Term.Var v, Scope s) {
    String name = v.name();
    if (name.equals("_")) return new Term.Var(fresh("_"), v.location());
    String local = s.lookup(name);
    if (local != null) return new Term.Var(local, v.location());
    if (Terms.isRoot(name)) return v;
    Term.Ref imp = imports.get(name);
    if (imp != null) {
      if (imp.path().isEmpty()) return new Term.Var(((Term.Var) imp.head()).name(), v.location());
      return new Term.Ref(imp.head(), imp.path(), v.location());
    }
    if (ruleNames.contains(name)) {
      List<Term> path = new ArrayList<>();
      for (String p : pkg) path.add(new Term.Scalar(new StringValue(p), v.location()));
      path.add(new Term.Scalar(new StringValue(name), v.location()));
      return new Term.Ref(new Term.Var("data", v.location()), path, v.location());
    }
    return v;
  }

  /** Resolves a call operator; reports an error (when asked) and returns null when it names nothing callable. */
  CallTarget resolveOperator(String name, Location loc, boolean report) {
    String[] parts = name.split("\\.");
    List<String> path = null;
    if (parts[0].equals("data")) {
      path = Arrays.asList(parts).subList(1, parts.length);
    } else if (imports.containsKey(parts[0])) {
      Term.Ref imp = imports.get(parts[0]);
      if (imp.head() instanceof Term.Var hv && hv.name().equals("data")) {
        path = new ArrayList<>();
        for (Term p : imp.path()) {
          if (p instanceof Term.Scalar sc && sc.value() instanceof StringValue sv) path.add(sv.value());
        }
        path.addAll(Arrays.asList(parts).subList(1, parts.length));
      }
    } else if (ruleNames.contains(parts[0])) {
      path = new ArrayList<>(pkg);
      path.addAll(Arrays.asList(parts));
    }
    if (path != null && functions.containsKey(String.join(".", path))) {
      return new CallTarget.FunctionTarget(path);
    }
    if (builtinArity.applyAsInt(name) != UNKNOWN) {
      return new CallTarget.BuiltinTarget(name, Compiler.EVALUATOR_BUILTINS.containsKey(name) ? null : builtins.lookup(name).orElse(null));
    }
    if (report) errors.add(new CompileError("rego_compile_error", "undefined function " + name, loc));
    return null;
  }
}
