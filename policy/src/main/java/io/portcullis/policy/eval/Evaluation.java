package io.portcullis.policy.eval;

import io.portcullis.policy.ast.CallTarget;
import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Location;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.builtins.Builtin;
import io.portcullis.policy.builtins.BuiltinContext;
import io.portcullis.policy.builtins.BuiltinException;
import io.portcullis.policy.compiler.CompiledPolicy;
import io.portcullis.policy.compiler.CompiledQuery;
import io.portcullis.policy.compiler.CompiledRule;
import io.portcullis.policy.compiler.RuleNode;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One evaluation of one query: backtracking over bodies with continuations. Every generator calls
 * its continuation once per solution; a continuation returns false to stop the search early (used by
 * negation and {@code every}), and every method returns false once stopped.
 */
final class Evaluation implements BuiltinContext {
  interface Cont { boolean run(); }

  interface VCont { boolean accept(Value v); }

  private interface ListCont { boolean accept(Value[] values); }

  private final CompiledPolicy policy;
  private final EvalOptions options;
  private final long deadline;
  private final Instant start = Instant.now();
  private Random random;
  private long steps;
  private EvalException strictError;
  private final Map<List<Value>, Value> nondeterministic = new HashMap<>();

  Evaluation(CompiledPolicy policy, EvalOptions options) {
    this.policy = policy;
    this.options = options;
    this.deadline = System.nanoTime() + options.timeout().toNanos();
  }

  EvalException strictError() { return strictError; }

  // ---------------------------------------------------------------- BuiltinContext

  @Override public Instant queryStartTime() { return start; }

  @Override public Random random() {
    if (random == null) random = new Random();
    return random;
  }

  @Override public void print(String line) { options.printer().accept(line); }

  // ---------------------------------------------------------------- queries

  List<Map<String, Value>> run(CompiledQuery q, Value input, Value data) {
    Ctx ctx = new Ctx(input, data == null ? ObjectValue.EMPTY : data, Map.of(), Map.of());
    Frame f = new Frame();
    List<Map<String, Value>> rows = new ArrayList<>();
    try {
      evalBody(ctx, f, q.body(), 0, () -> {
        Map<String, Value> row = new LinkedHashMap<>();
        for (String v : q.vars()) {
          Value x = f.get(v);
          if (x != null) row.put(v, x);
        }
        for (String v : q.expressionVars()) {
          if (v == null) continue;
          Value x = f.get(v);
          if (x != null) row.put(v, x);
        }
        rows.add(row);
        return true;
      });
    } catch (StackOverflowError e) {
      throw new EvalException("eval_internal_error", "evaluation too deeply nested", null);
    }
    return rows;
  }

  // ---------------------------------------------------------------- bodies and expressions

  private void step(Location loc) {
    if (++steps > options.maxSteps()) {
      throw new EvalException("eval_cancel_error", "evaluation exceeded the step limit of " + options.maxSteps(), loc);
    }
    if ((steps & 63) == 0 && System.nanoTime() - deadline > 0) {
      throw new EvalException("eval_cancel_error", "evaluation exceeded the time limit of " + options.timeout().toMillis() + "ms", loc);
    }
  }

  boolean evalBody(Ctx ctx, Frame f, List<Expr> body, int i, Cont k) {
    if (i == body.size()) {
      if (body.isEmpty()) return k.run();
      step(body.get(i - 1).location());
      return k.run();
    }
    Expr e = body.get(i);
    step(e.location());
    return evalExpr(ctx, f, e, () -> evalBody(ctx, f, body, i + 1, k));
  }

  private boolean evalExpr(Ctx ctx, Frame f, Expr e, Cont k) {
    Ctx c = ctx;
    if (!e.withs().isEmpty()) {
      c = applyWiths(ctx, f, e.withs());
      if (c == null) return true;
    }
    if (e.negated()) {
      int mark = f.mark();
      boolean[] found = {false};
      evalKind(c, f, e, () -> {
        found[0] = true;
        return false;
      });
      f.undo(mark);
      return found[0] || k.run();
    }
    return evalKind(c, f, e, k);
  }

  private boolean evalKind(Ctx ctx, Frame f, Expr e, Cont k) {
    Expr.Kind kind = e.kind();
    if (kind instanceof Expr.TermExpr t) {
      return evalTerm(ctx, f, t.term(), v -> v == BooleanValue.FALSE || k.run());
    }
    if (kind instanceof Expr.Unify u) return unify(ctx, f, u.left(), u.right(), k);
    if (kind instanceof Expr.SomeDecl) return k.run();
    if (kind instanceof Expr.SomeIn s) {
      if (s.key() == null) {
        return evalTerm(ctx, f, s.collection(), coll -> forEachValue(coll, val -> unifyValue(ctx, f, s.value(), val, k)));
      }
      return evalTerm(ctx, f, s.collection(), coll -> forEach(coll, (key, val) ->
          unifyValue(ctx, f, s.key(), key, () -> unifyValue(ctx, f, s.value(), val, k))));
    }
    Expr.Every ev = (Expr.Every) kind;
    return evalTerm(ctx, f, ev.domain(), dom -> {
      // a domain that is not a collection has no elements: every holds vacuously, as in OPA
      boolean[] all = {true};
      forEach(dom, (key, val) -> {
        int mark = f.mark();
        boolean[] ok = {false};
        Cont body = () -> evalBody(ctx, f, ev.body(), 0, () -> {
          ok[0] = true;
          return false;
        });
        if (ev.key() == null) {
          unifyValue(ctx, f, ev.value(), val, body);
        } else {
          unifyValue(ctx, f, ev.key(), key, () -> unifyValue(ctx, f, ev.value(), val, body));
        }
        f.undo(mark);
        if (!ok[0]) all[0] = false;
        return ok[0];
      });
      return !all[0] || k.run();
    });
  }

  private interface EntryFn { boolean accept(Value key, Value value); }

  /** Like {@link #forEach} for the values only (no index numbers are made for arrays). */
  private static boolean forEachValue(Value coll, VCont fn) {
    if (coll instanceof ArrayValue a) {
      List<Value> items = a.elements();
      for (int i = 0; i < items.size(); i++) if (!fn.accept(items.get(i))) return false;
    } else if (coll instanceof ObjectValue o) {
      for (Value v : o.entries().values()) if (!fn.accept(v)) return false;
    } else if (coll instanceof SetValue s) {
      for (Value v : s.members()) if (!fn.accept(v)) return false;
    }
    return true;
  }

  /** Calls fn for each (key, value) of a collection; sets give (member, member). */
  private static boolean forEach(Value coll, EntryFn fn) {
    if (coll instanceof ArrayValue a) {
      for (int i = 0; i < a.size(); i++) if (!fn.accept(NumberValue.of(i), a.get(i))) return false;
    } else if (coll instanceof ObjectValue o) {
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) if (!fn.accept(e.getKey(), e.getValue())) return false;
    } else if (coll instanceof SetValue s) {
      for (Value v : s.members()) if (!fn.accept(v, v)) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- with

  private Ctx applyWiths(Ctx ctx, Frame f, List<Expr.With> withs) {
    Value input = ctx.input;
    Value base = ctx.baseData;
    Map<List<Value>, Value> overrides = new HashMap<>(ctx.overrides);
    Map<String, Object> mocks = new HashMap<>(ctx.mocks);
    for (Expr.With w : withs) {
      Object replacement;
      if (w.value() instanceof Term.FuncRef fr) {
        replacement = fr.target();
      } else {
        Value v = first(ctx, f, w.value());
        if (v == null) return null;
        replacement = v;
      }
      if (w.target() instanceof Term.FuncRef target) {
        mocks.put(mockKey(target.target()), replacement);
        continue;
      }
      if (!(replacement instanceof Value value)) {
        throw new EvalException("eval_type_error", "with keyword value must be a value for non-function targets", w.location());
      }
      String root;
      List<Term> pathTerms;
      if (w.target() instanceof Term.Var v) {
        root = v.name();
        pathTerms = List.of();
      } else {
        Term.Ref r = (Term.Ref) w.target();
        root = ((Term.Var) r.head()).name();
        pathTerms = r.path();
      }
      List<Value> path = new ArrayList<>();
      for (Term p : pathTerms) {
        Value pv = first(ctx, f, p);
        if (pv == null) return null;
        path.add(pv);
      }
      if (root.equals("input")) {
        input = path.isEmpty() ? value : patch(input == null ? ObjectValue.EMPTY : input, path, 0, value);
      } else {
        RuleNode node = policy.nodeAt(path);
        if (node != null && node.isFunction()) {
          StringBuilder sb = new StringBuilder("data");
          for (Value p : path) sb.append('.').append(p instanceof StringValue s ? s.value() : p.toString());
          mocks.put(sb.toString(), value);
          continue;
        }
        overrides.put(List.copyOf(path), value);
        base = path.isEmpty() ? value : patch(base, path, 0, value);
      }
    }
    return new Ctx(input, base, overrides, mocks);
  }

  private static String mockKey(CallTarget t) {
    return t instanceof CallTarget.FunctionTarget ft ? ft.dotted() : ((CallTarget.BuiltinTarget) t).name();
  }

  /** A copy of doc with value placed at path (creating objects along the way). */
  private static Value patch(Value doc, List<Value> path, int i, Value value) {
    if (i == path.size()) return value;
    ObjectValue obj = doc instanceof ObjectValue o ? o : ObjectValue.EMPTY;
    Value child = obj.get(path.get(i));
    return obj.with(path.get(i), patch(child, path, i + 1, value));
  }

  /** The first value of a term, or null when undefined. */
  private Value first(Ctx ctx, Frame f, Term t) {
    Value[] out = {null};
    int mark = f.mark();
    evalTerm(ctx, f, t, v -> {
      out[0] = v;
      return false;
    });
    f.undo(mark);
    return out[0];
  }

  // ---------------------------------------------------------------- unification

  private boolean unify(Ctx ctx, Frame f, Term a, Term b, Cont k) {
    if (evaluable(a, f)) return evalTerm(ctx, f, a, va -> unifyValue(ctx, f, b, va, k));
    if (evaluable(b, f)) return evalTerm(ctx, f, b, vb -> unifyValue(ctx, f, a, vb, k));
    if (a instanceof Term.ArrayTerm x && b instanceof Term.ArrayTerm y) {
      if (x.items().size() != y.items().size()) return true;
      return unifyPairs(ctx, f, x.items(), y.items(), 0, k);
    }
    if (a instanceof Term.ObjectTerm x && b instanceof Term.ObjectTerm y) {
      if (x.entries().size() != y.entries().size()) return true;
      return unifyObjects(ctx, f, x, y, 0, k);
    }
    throw new EvalException("eval_internal_error", "unsafe unification", a.location());
  }

  private boolean unifyPairs(Ctx ctx, Frame f, List<Term> xs, List<Term> ys, int i, Cont k) {
    if (i == xs.size()) return k.run();
    return unify(ctx, f, xs.get(i), ys.get(i), () -> unifyPairs(ctx, f, xs, ys, i + 1, k));
  }

  private boolean unifyObjects(Ctx ctx, Frame f, Term.ObjectTerm x, Term.ObjectTerm y, int i, Cont k) {
    if (i == x.entries().size()) return k.run();
    Term.Entry e = x.entries().get(i);
    Value key = first(ctx, f, e.key());
    if (key == null) return true;
    for (Term.Entry o : y.entries()) {
      Value ok = first(ctx, f, o.key());
      if (key.equals(ok)) return unify(ctx, f, e.value(), o.value(), () -> unifyObjects(ctx, f, x, y, i + 1, k));
    }
    return true;
  }

  /** True when the term can be evaluated now: no unbound variable outside ref paths and closures. */
  private static boolean evaluable(Term t, Frame f) { return bound(t, f, false); }

  /** True when every variable of the term is bound (a ref path element can be used as a key as is). */
  private static boolean ground(Term t, Frame f) { return bound(t, f, true); }

  /** Whether the term's variables are bound; {@code refPaths} decides whether a ref's path counts too. */
  private static boolean bound(Term t, Frame f, boolean refPaths) {
    if (t instanceof Term.Var v) return isRoot(v.name()) || f.get(v.name()) != null;
    if (t instanceof Term.Scalar) return true;
    if (t instanceof Term.Ref r) {
      if (!bound(r.head(), f, refPaths)) return false;
      if (refPaths) for (Term p : r.path()) if (!bound(p, f, true)) return false;
      return true;
    }
    if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) if (!bound(x, f, refPaths)) return false;
      return true;
    }
    if (t instanceof Term.SetTerm s) {
      for (Term x : s.items()) if (!bound(x, f, refPaths)) return false;
      return true;
    }
    if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) if (!bound(e.key(), f, refPaths) || !bound(e.value(), f, refPaths)) return false;
      return true;
    }
    if (t instanceof Term.Call c) {
      for (Term x : c.args()) if (!bound(x, f, refPaths)) return false;
      return true;
    }
    return true;
  }

  private static boolean isRoot(String n) { return n.equals("data") || n.equals("input"); }

  private boolean unifyValue(Ctx ctx, Frame f, Term t, Value v, Cont k) {
    if (t instanceof Term.Var var && !isRoot(var.name())) {
      Value cur = f.get(var.name());
      if (cur != null) return !cur.equals(v) || k.run();
      int mark = f.mark();
      f.bind(var.name(), v);
      boolean r = k.run();
      f.undo(mark);
      return r;
    }
    if (t instanceof Term.ArrayTerm a) {
      if (!(v instanceof ArrayValue av) || av.size() != a.items().size()) return true;
      return unifyElements(ctx, f, a.items(), av, 0, k);
    }
    if (t instanceof Term.ObjectTerm o && !ground(o, f)) {
      if (!(v instanceof ObjectValue ov) || ov.size() != o.entries().size()) return true;
      return unifyEntries(ctx, f, o.entries(), ov, 0, k);
    }
    if (t instanceof Term.Scalar s) return !s.value().equals(v) || k.run();
    return evalTerm(ctx, f, t, tv -> !tv.equals(v) || k.run());
  }

  private boolean unifyElements(Ctx ctx, Frame f, List<Term> items, ArrayValue av, int i, Cont k) {
    if (i == items.size()) return k.run();
    return unifyValue(ctx, f, items.get(i), av.get(i), () -> unifyElements(ctx, f, items, av, i + 1, k));
  }

  private boolean unifyEntries(Ctx ctx, Frame f, List<Term.Entry> entries, ObjectValue ov, int i, Cont k) {
    if (i == entries.size()) return k.run();
    Term.Entry e = entries.get(i);
    return evalTerm(ctx, f, e.key(), key -> {
      Value val = ov.get(key);
      if (val == null) return true;
      return unifyValue(ctx, f, e.value(), val, () -> unifyEntries(ctx, f, entries, ov, i + 1, k));
    });
  }

  // ---------------------------------------------------------------- terms

  boolean evalTerm(Ctx ctx, Frame f, Term t, VCont k) {
    if (t instanceof Term.Var v) {
      String name = v.name();
      Value x = f.get(name);
      if (x != null) return k.accept(x);
      // variable names are interned (Term.Var), so identity comparison is exact here
      if (name == "input") return ctx.input == null || k.accept(ctx.input);
      if (name == "data") {
        Value d = nodeValue(ctx, policy.root());
        return d == null || k.accept(d);
      }
      throw new EvalException("eval_internal_error", "var " + name + " is unbound", v.location());
    }
    if (t instanceof Term.Scalar s) return k.accept(s.value());
    if (t instanceof Term.Ref r) return evalRef(ctx, f, r, k);
    if (t instanceof Term.Call c) return evalCall(ctx, f, c, k);
    if (t instanceof Term.ArrayTerm a) {
      return evalList(ctx, f, a.items(), 0, new Value[a.items().size()], vs -> k.accept(new ArrayValue(List.of(vs))));
    }
    if (t instanceof Term.SetTerm s) {
      return evalList(ctx, f, s.items(), 0, new Value[s.items().size()], vs -> k.accept(SetValue.of(vs)));
    }
    if (t instanceof Term.ObjectTerm o) {
      List<Term> flat = new ArrayList<>(o.entries().size() * 2);
      for (Term.Entry e : o.entries()) {
        flat.add(e.key());
        flat.add(e.value());
      }
      return evalList(ctx, f, flat, 0, new Value[flat.size()], vs -> {
        TreeMap<Value, Value> m = new TreeMap<>();
        for (int i = 0; i < vs.length; i += 2) m.put(vs[i], vs[i + 1]);
        return k.accept(ObjectValue.of(m));
      });
    }
    if (t instanceof Term.ArrayCompr c) {
      List<Value> out = new ArrayList<>();
      evalBody(ctx, f, c.body(), 0, () -> evalTerm(ctx, f, c.head(), v -> out.add(v)));
      return k.accept(new ArrayValue(out));
    }
    if (t instanceof Term.SetCompr c) {
      TreeSet<Value> out = new TreeSet<>();
      evalBody(ctx, f, c.body(), 0, () -> evalTerm(ctx, f, c.head(), v -> {
        out.add(v);
        return true;
      }));
      return k.accept(SetValue.of(out));
    }
    if (t instanceof Term.ObjectCompr c) {
      TreeMap<Value, Value> out = new TreeMap<>();
      evalBody(ctx, f, c.body(), 0, () -> evalTerm(ctx, f, c.key(), key -> evalTerm(ctx, f, c.value(), val -> {
        Value prev = out.putIfAbsent(key, val);
        if (prev != null && !prev.equals(val)) {
          throw new EvalException("eval_conflict_error", "object keys must be unique", c.location());
        }
        return true;
      })));
      return k.accept(ObjectValue.of(out));
    }
    if (t instanceof Term.Call c) return evalCall(ctx, f, c, k);
    if (t instanceof Term.Template tp) return evalTemplate(ctx, f, tp, k);
    throw new EvalException("eval_internal_error", "cannot evaluate " + t.getClass().getSimpleName(), t.location());
  }

  private boolean evalList(Ctx ctx, Frame f, List<Term> terms, int i, Value[] acc, ListCont k) {
    if (i == terms.size()) return k.accept(acc.clone());
    return evalTerm(ctx, f, terms.get(i), v -> {
      acc[i] = v;
      return evalList(ctx, f, terms, i + 1, acc, k);
    });
  }

  private boolean evalTemplate(Ctx ctx, Frame f, Term.Template tp, VCont k) {
    StringBuilder sb = new StringBuilder();
    for (Object p : tp.parts()) {
      if (p instanceof String s) {
        sb.append(s);
        continue;
      }
      Term t;
      Ctx pc = ctx;
      if (p instanceof Expr pe) {
        t = ((Expr.TermExpr) pe.kind()).term();
        pc = applyWiths(ctx, f, pe.withs());
        if (pc == null) {
          sb.append("<undefined>");
          continue;
        }
      } else {
        t = (Term) p;
      }
      TreeSet<Value> vals = new TreeSet<>();
      int mark = f.mark();
      evalTerm(pc, f, t, v -> {
        vals.add(v);
        return true;
      });
      f.undo(mark);
      if (vals.isEmpty()) {
        sb.append("<undefined>");
      } else if (vals.size() > 1) {
        throw new EvalException("eval_conflict_error", "template-strings must not produce multiple outputs", t.location());
      } else {
        Value v = vals.first();
        sb.append(v instanceof StringValue s ? s.value() : Json.render(v));
      }
    }
    return k.accept(new StringValue(sb.toString()));
  }

  // ---------------------------------------------------------------- references

  private boolean evalRef(Ctx ctx, Frame f, Term.Ref r, VCont k) {
    Term head = r.head();
    if (head instanceof Term.Var v) {
      if (v.name().equals("data")) return evalData(ctx, f, r, 0, policy.root(), ctx.baseData, k);
      if (v.name().equals("input")) return ctx.input == null || evalPath(ctx, f, ctx.input, r.path(), 0, k);
      Value x = f.get(v.name());
      if (x == null) throw new EvalException("eval_internal_error", "var " + v.name() + " is unbound", v.location());
      return evalPath(ctx, f, x, r.path(), 0, k);
    }
    return evalTerm(ctx, f, head, hv -> evalPath(ctx, f, hv, r.path(), 0, k));
  }

  private static Value lookup(Value coll, Value key) {
    if (coll instanceof ObjectValue o) return o.get(key);
    if (coll instanceof ArrayValue a) {
      if (key instanceof NumberValue n) {
        var idx = n.asInt();
        if (idx.isPresent() && idx.get() >= 0 && idx.get() < a.size()) return a.get(idx.get());
      }
      return null;
    }
    if (coll instanceof SetValue s) return s.contains(key) ? key : null;
    return null;
  }

  private boolean evalPath(Ctx ctx, Frame f, Value cur, List<Term> path, int i, VCont k) {
    if (i == path.size()) return k.accept(cur);
    Term p = path.get(i);
    if (p instanceof Term.Scalar s) {
      Value next = lookup(cur, s.value());
      return next == null || evalPath(ctx, f, next, path, i + 1, k);
    }
    if (p instanceof Term.Var v && !isRoot(v.name()) && f.get(v.name()) == null) {
      String name = v.name();
      if (name.startsWith("_$")) {
        // a wildcard is never read: iterate the values without binding keys
        return forEachValue(cur, val -> evalPath(ctx, f, val, path, i + 1, k));
      }
      return forEach(cur, (key, val) -> {
        int mark = f.mark();
        f.bind(name, key);
        boolean r = evalPath(ctx, f, val, path, i + 1, k);
        f.undo(mark);
        return r;
      });
    }
    if (ground(p, f)) {
      return evalTerm(ctx, f, p, key -> {
        Value next = lookup(cur, key);
        return next == null || evalPath(ctx, f, next, path, i + 1, k);
      });
    }
    return forEach(cur, (key, val) -> unifyValue(ctx, f, p, key, () -> evalPath(ctx, f, val, path, i + 1, k)));
  }

  /** Like evalPath over base documents, where a number key also finds the string key of the same text. */
  private boolean evalBasePath(Ctx ctx, Frame f, Value cur, List<Term> path, int i, VCont k) {
    if (i == path.size()) return k.accept(cur);
    Term p = path.get(i);
    if (cur instanceof ObjectValue o && ground(p, f)) {
      return evalTerm(ctx, f, p, key -> {
        Value next = o.get(key);
        if (next == null && key instanceof NumberValue) next = o.get(new StringValue(key.toString()));
        return next == null || evalBasePath(ctx, f, next, path, i + 1, k);
      });
    }
    return evalPath(ctx, f, cur, path, i, k);
  }

  private boolean evalData(Ctx ctx, Frame f, Term.Ref r, int i, RuleNode node, Value base, VCont k) {
    if (!ctx.overrides.isEmpty()) {
      Value ov = ctx.overrides.get(node.path());
      if (ov != null) return evalPath(ctx, f, ov, r.path(), i, k);
    }
    if (node.hasRules()) {
      Value v = nodeValue(ctx, node);
      return v == null || evalPath(ctx, f, v, r.path(), i, k);
    }
    if (i == r.path().size()) {
      Value v = nodeValue(ctx, node);
      return v == null || k.accept(v);
    }
    Term p = r.path().get(i);
    if (ground(p, f)) {
      return evalTerm(ctx, f, p, key -> dataStep(ctx, f, r, i, node, base, key, k));
    }
    TreeSet<Value> keys = new TreeSet<>(node.children().keySet());
    if (base instanceof ObjectValue o) keys.addAll(o.entries().keySet());
    for (Value key : keys) {
      if (!unifyValue(ctx, f, p, key, () -> dataStep(ctx, f, r, i, node, base, key, k))) return false;
    }
    return true;
  }

  private boolean dataStep(Ctx ctx, Frame f, Term.Ref r, int i, RuleNode node, Value base, Value key, VCont k) {
    RuleNode child = node.child(key);
    Value childBase = base instanceof ObjectValue o ? o.get(key) : null;
    if (childBase == null && child == null && key instanceof NumberValue && base instanceof ObjectValue o) {
      childBase = o.get(new StringValue(key.toString()));
    }
    if (child == null) return childBase == null || evalBasePath(ctx, f, childBase, r.path(), i + 1, k);
    return evalData(ctx, f, r, i + 1, child, childBase, k);
  }

  private static Value baseAt(Value base, List<Value> path) {
    Value cur = base;
    for (Value p : path) {
      if (!(cur instanceof ObjectValue o)) return null;
      cur = o.get(p);
      if (cur == null) return null;
    }
    return cur;
  }

  // ---------------------------------------------------------------- virtual documents

  /** The full value of the document at a node (rules, children and base data merged), or null when undefined. */
  Value nodeValue(Ctx ctx, RuleNode node) {
    if (node.isFunction()) return null;
    if (!ctx.overrides.isEmpty()) {
      Value ov = ctx.overrides.get(node.path());
      if (ov != null) return ov;
    }
    Object cached = ctx.cache.get(node);
    if (cached != null) return cached == Ctx.UNDEFINED ? null : (Value) cached;
    Value v = computeNodeValue(ctx, node);
    ctx.cache.put(node, v == null ? Ctx.UNDEFINED : v);
    return v;
  }

  private Value computeNodeValue(Ctx ctx, RuleNode node) {
    Value base = baseAt(ctx.baseData, node.path());
    TreeMap<Value, Object> tree;
    if (node.hasRules()) {
      Object rv = evalRules(ctx, node);
      if (!(rv instanceof TreeMap)) {
        Value v = (Value) rv;
        if (node.children().isEmpty() || !(v == null || v instanceof ObjectValue)) {
          v = v != null ? v : base;
          if (v != null && !ctx.overrides.isEmpty()) v = applyDeeperOverrides(ctx, node, v);
          return v;
        }
        tree = new TreeMap<>();
        if (v != null) tree.putAll(((ObjectValue) v).entries());
      } else {
        @SuppressWarnings("unchecked")
        TreeMap<Value, Object> t = (TreeMap<Value, Object>) rv;
        tree = t;
      }
    } else {
      tree = new TreeMap<>();
    }
    Location loc = node.rules().isEmpty() ? null : node.rules().get(0).location();
    for (Map.Entry<Value, RuleNode> c : node.children().entrySet()) {
      Value cv = nodeValue(ctx, c.getValue());
      if (cv == null) continue;
      RuleNode child = c.getValue();
      Location cl = child.rules().isEmpty() ? loc : child.rules().get(0).location();
      mergeChild(tree, c.getKey(), cv, cl);
    }
    Value result = toValue(tree);
    if (base instanceof ObjectValue bo) result = mergeBase(bo, (ObjectValue) result);
    if (node.hasRules() && !ctx.overrides.isEmpty()) result = applyDeeperOverrides(ctx, node, result);
    return result;
  }

  /** Merges a child document into the object built from ref-head rules; values produced by rules are not merged into. */
  @SuppressWarnings("unchecked")
  private static void mergeChild(TreeMap<Value, Object> tree, Value key, Value v, Location loc) {
    Object prev = tree.get(key);
    if (prev == null) {
      tree.put(key, v);
    } else if (prev instanceof TreeMap && v instanceof ObjectValue o) {
      TreeMap<Value, Object> sub = (TreeMap<Value, Object>) prev;
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) mergeChild(sub, e.getKey(), e.getValue(), loc);
    } else if (prev instanceof TreeSet && v instanceof SetValue sv) {
      ((TreeSet<Value>) prev).addAll(sv.members());
    } else if (!(prev instanceof Value pv) || !pv.equals(v)) {
      throw new EvalException("eval_conflict_error", "object keys must be unique", loc);
    }
  }

  /** Base documents win over virtual ones where both define a leaf; objects merge. */
  private static ObjectValue mergeBase(ObjectValue base, ObjectValue virtual) {
    TreeMap<Value, Value> m = new TreeMap<>(virtual.entries());
    for (Map.Entry<Value, Value> e : base.entries().entrySet()) {
      Value v = m.get(e.getKey());
      if (v instanceof ObjectValue vo && e.getValue() instanceof ObjectValue bo) {
        m.put(e.getKey(), mergeBase(bo, vo));
      } else {
        m.put(e.getKey(), e.getValue());
      }
    }
    return ObjectValue.of(m);
  }

  private Value applyDeeperOverrides(Ctx ctx, RuleNode node, Value v) {
    List<Value> p = node.path();
    for (Map.Entry<List<Value>, Value> e : ctx.overrides.entrySet()) {
      List<Value> op = e.getKey();
      if (op.size() > p.size() && op.subList(0, p.size()).equals(p)) {
        v = patch(v, op.subList(p.size(), op.size()), 0, e.getValue());
      }
    }
    return v;
  }

  /** A complete value (or null) for complete rules and root sets, or the tree (TreeMap) built by ref-head rules. */
  private Object evalRules(Ctx ctx, RuleNode node) {
    List<CompiledRule> rules = node.rules();
    boolean complete = rules.isEmpty()
        || rules.stream().anyMatch(r -> r.kind() == Rule.Kind.COMPLETE && r.suffix().isEmpty());
    if (complete) {
      Value[] result = {null};
      for (CompiledRule r : rules) {
        for (CompiledRule cc = r; cc != null; cc = cc.elseRule()) {
        final CompiledRule c = cc;
          if (!guardsHold(ctx, c)) continue;
          Frame fr = new Frame();
          boolean[] found = {false};
          evalBody(ctx, fr, c.body(), 0, () -> evalTerm(ctx, fr, c.value(), v -> {
            found[0] = true;
            if (result[0] == null) {
              result[0] = v;
            } else if (!result[0].equals(v)) {
              // OPA's message, followed by the wording of newer OPA releases, which also names the rule
              throw new EvalException("eval_conflict_error", "complete rules must not produce multiple outputs: rule "
                  + node.dotted() + " produced conflicting values", c.location());
            }
            return true;
          }));
          if (found[0]) break;
        }
      }
      if (result[0] == null && node.defaultRule() != null) {
        Frame fr = new Frame();
        return first(ctx, fr, node.defaultRule().value());
      }
      return result[0];
    }
    boolean setAtRoot = rules.stream().anyMatch(r -> r.kind() == Rule.Kind.MULTI && r.suffix().isEmpty());
    TreeSet<Value> rootSet = new TreeSet<>();
    TreeMap<Value, Object> tree = new TreeMap<>();
    for (CompiledRule r : rules) {
      for (CompiledRule cc = r; cc != null; cc = cc.elseRule()) {
        final CompiledRule c = cc;
        if (!guardsHold(ctx, c)) continue;
        Frame fr = new Frame();
        boolean[] found = {false};
        evalBody(ctx, fr, c.body(), 0, () -> {
          found[0] = true;
          if (c.kind() == Rule.Kind.MULTI && c.suffix().isEmpty()) {
            return evalTerm(ctx, fr, c.key(), v -> {
              rootSet.add(v);
              return true;
            });
          }
          return evalList(ctx, fr, c.suffix(), 0, new Value[c.suffix().size()], keys -> {
            if (c.kind() == Rule.Kind.MULTI) {
              return evalTerm(ctx, fr, c.key(), v -> {
                insert(tree, keys, v, true, c.location());
                return true;
              });
            }
            return evalTerm(ctx, fr, c.value(), v -> {
              insert(tree, keys, v, false, c.location());
              return true;
            });
          });
        });
        if (found[0]) break;
      }
    }
    if (setAtRoot) return SetValue.of(rootSet);
    return tree;
  }

  /** Rule indexing: false when the input rules out the body before it runs. */
  private static boolean guardsHold(Ctx ctx, CompiledRule r) {
    if (!ctx.mocks.isEmpty()) return true; // `with equal as ...` could change what == means
    for (CompiledRule.Guard g : r.guards()) {
      Value cur = ctx.input;
      for (Value p : g.inputPath()) {
        if (!(cur instanceof ObjectValue o)) return false;
        cur = o.get(p);
      }
      if (cur == null || !cur.equals(g.value())) return false;
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static void insert(TreeMap<Value, Object> tree, Value[] keys, Value v, boolean multi, Location loc) {
    TreeMap<Value, Object> cur = tree;
    for (int i = 0; i < keys.length - 1; i++) {
      Object next = cur.get(keys[i]);
      if (next == null) {
        TreeMap<Value, Object> m = new TreeMap<>();
        cur.put(keys[i], m);
        cur = m;
      } else if (next instanceof TreeMap) {
        cur = (TreeMap<Value, Object>) next;
      } else {
        throw new EvalException("eval_conflict_error", "object keys must be unique", loc);
      }
    }
    Value last = keys[keys.length - 1];
    Object prev = cur.get(last);
    if (multi) {
      if (prev == null) {
        TreeSet<Value> s = new TreeSet<>();
        s.add(v);
        cur.put(last, s);
      } else if (prev instanceof TreeSet) {
        ((TreeSet<Value>) prev).add(v);
      } else {
        throw new EvalException("eval_conflict_error", "object keys must be unique", loc);
      }
    } else if (prev == null) {
      cur.put(last, v);
    } else if (!(prev instanceof Value pv) || !pv.equals(v)) {
      throw new EvalException("eval_conflict_error", "object keys must be unique", loc);
    }
  }

  @SuppressWarnings("unchecked")
  private static Value toValue(Object o) {
    if (o instanceof Value v) return v;
    if (o instanceof TreeSet<?> s) return SetValue.of((TreeSet<Value>) s);
    TreeMap<Value, Value> m = new TreeMap<>();
    for (Map.Entry<Value, Object> e : ((TreeMap<Value, Object>) o).entrySet()) m.put(e.getKey(), toValue(e.getValue()));
    return ObjectValue.of(m);
  }

  // ---------------------------------------------------------------- calls

  private boolean evalCall(Ctx ctx, Frame f, Term.Call c, VCont k) {
    CallTarget target = c.target();
    if (target instanceof CallTarget.BuiltinTarget b && b.builtin() == null && b.name().equals("print")
        && !ctx.mocks.containsKey("print")) {
      return evalPrint(ctx, f, c, k);
    }
    List<Term> terms = c.args();
    Value[] direct = new Value[terms.size()];
    for (int i = 0; i < direct.length; i++) {
      Term t = terms.get(i);
      Value v = t instanceof Term.Scalar sc ? sc.value() : t instanceof Term.Var var ? f.get(var.name()) : null;
      if (v == null) {
        // some argument needs full evaluation (a reference, a call, a collection, input or data)
        return evalList(ctx, f, terms, 0, new Value[terms.size()], args -> invoke(ctx, target, Arrays.asList(args), c, k));
      }
      direct[i] = v;
    }
    return invoke(ctx, target, Arrays.asList(direct), c, k);
  }

  private boolean invoke(Ctx ctx, CallTarget target, List<Value> args, Term.Call c, VCont k) {
    if (!ctx.mocks.isEmpty()) {
      Object mock = ctx.mocks.get(mockKey(target));
      if (mock instanceof Value v) return k.accept(v);
      if (mock instanceof CallTarget t && !t.equals(target)) {
        // a replacement runs with no function mocks in effect: it calls the originals
        Ctx inner = new Ctx(ctx.input, ctx.baseData, ctx.overrides, Map.of());
        return invoke(inner, t, args, c, k);
      }
    }
    if (target instanceof CallTarget.FunctionTarget ft) {
      RuleNode node = policy.node(ft.path());
      if (node == null) return true;
      Value v = callFunction(ctx, node, args, c.location());
      return v == null || k.accept(v);
    }
    CallTarget.BuiltinTarget bt = (CallTarget.BuiltinTarget) target;
    if (bt.builtin() != null && !bt.builtin().nondeterministic()) return callRegistered(bt.builtin(), args, c, k, null);
    return callBuiltin(ctx, bt.name(), args, c, k);
  }

  private Value callFunction(Ctx ctx, RuleNode node, List<Value> args, Location callLoc) {
    Ctx.FunctionCall key = new Ctx.FunctionCall(node, args);
    Object cached = ctx.functionCache.get(key);
    if (cached != null) return cached == Ctx.UNDEFINED ? null : (Value) cached;
    Value[] result = {null};
    for (CompiledRule r : node.rules()) {
      for (CompiledRule cc = r; cc != null; cc = cc.elseRule()) {
        final CompiledRule c = cc;
        if (!guardsHold(ctx, c)) continue;
        Frame fr = new Frame();
        boolean[] found = {false};
        unifyArgs(ctx, fr, c.args(), args, 0, () -> evalBody(ctx, fr, c.body(), 0, () -> evalTerm(ctx, fr, c.value(), v -> {
          found[0] = true;
          if (result[0] == null) {
            result[0] = v;
          } else if (!result[0].equals(v)) {
            throw new EvalException("eval_conflict_error", "functions must not produce multiple outputs for same inputs", c.location());
          }
          return true;
        })));
        if (found[0]) break;
      }
    }
    if (result[0] == null && node.defaultRule() != null) result[0] = first(ctx, new Frame(), node.defaultRule().value());
    ctx.functionCache.put(key, result[0] == null ? Ctx.UNDEFINED : result[0]);
    return result[0];
  }

  private boolean unifyArgs(Ctx ctx, Frame f, List<Term> params, List<Value> args, int i, Cont k) {
    if (i == params.size()) return k.run();
    return unifyValue(ctx, f, params.get(i), args.get(i), () -> unifyArgs(ctx, f, params, args, i + 1, k));
  }

  private boolean evalPrint(Ctx ctx, Frame f, Term.Call c, VCont k) {
    StringBuilder sb = new StringBuilder();
    for (Term a : c.args()) {
      TreeSet<Value> vals = new TreeSet<>();
      int mark = f.mark();
      evalTerm(ctx, f, a, v -> {
        vals.add(v);
        return true;
      });
      f.undo(mark);
      if (sb.length() > 0) sb.append(' ');
      if (vals.isEmpty()) {
        sb.append("<undefined>");
      } else {
        Value v = vals.first();
        sb.append(v instanceof StringValue s ? s.value() : Json.render(v));
      }
    }
    print(sb.toString());
    return k.accept(BooleanValue.TRUE);
  }

  private boolean callBuiltin(Ctx ctx, String name, List<Value> args, Term.Call c, VCont k) {
    switch (name) {
      case "internal.member_2":
        return k.accept(BooleanValue.of(member2(args.get(0), args.get(1))));
      case "internal.member_3":
        return k.accept(BooleanValue.of(member3(args.get(0), args.get(1), args.get(2))));
      case "walk":
        return walk(new ArrayList<>(), args.get(0), k);
      case "trace":
        if (args.get(0) instanceof StringValue s) print(s.value());
        return k.accept(BooleanValue.TRUE);
      case "test.sleep":
        sleep(args.get(0));
        return k.accept(NullValue.NULL);
      case "opa.runtime":
        return k.accept(ObjectValue.EMPTY);
      case "rego.parse_module":
        return parseModule(args, c, k);
      default:
        break;
    }
    Builtin b = policy.builtins().lookup(name).orElse(null);
    if (b == null) throw new EvalException("eval_internal_error", "unknown builtin " + name, c.location());
    List<Value> cacheKey = null;
    if (b.nondeterministic()) {
      List<Value> key = new ArrayList<>();
      key.add(new StringValue(name));
      key.addAll(args);
      cacheKey = key;
      Value hit = nondeterministic.get(cacheKey);
      if (hit != null) return k.accept(hit);
    }
    return callRegistered(b, args, c, k, cacheKey);
  }

  private boolean callRegistered(Builtin b, List<Value> args, Term.Call c, VCont k, List<Value> cacheKey) {
    String name = b.name();
    Value result;
    try {
      result = b.implementation().call(this, args);
    } catch (BuiltinException e) {
      recordBuiltinError(e.kind().code(), e.getMessage(), c.location());
      return true;
    } catch (EvalException e) {
      throw e;
    } catch (RuntimeException e) {
      recordBuiltinError("eval_builtin_error", name + ": " + e.getMessage(), c.location());
      return true;
    }
    if (result == null) return true;
    if (cacheKey != null) nondeterministic.put(cacheKey, result);
    return k.accept(result);
  }

  /** rego.parse_module(filename, source): the package path and rule names, or a builtin error for bad source. */
  private boolean parseModule(List<Value> args, Term.Call c, VCont k) {
    if (!(args.get(0) instanceof StringValue file)) {
      recordBuiltinError("eval_type_error", "rego.parse_module: operand 1 must be string but got " + args.get(0).typeName(), c.location());
      return true;
    }
    if (!(args.get(1) instanceof StringValue src)) {
      recordBuiltinError("eval_type_error", "rego.parse_module: operand 2 must be string but got " + args.get(1).typeName(), c.location());
      return true;
    }
    io.portcullis.policy.ast.Module m;
    try {
      m = io.portcullis.policy.parser.Parser.parseModule(file.value(), src.value());
    } catch (io.portcullis.policy.lexer.RegoSyntaxException e) {
      recordBuiltinError("eval_builtin_error", "rego.parse_module: " + e.getMessage(), c.location());
      return true;
    }
    List<Value> path = new ArrayList<>();
    path.add(ObjectValue.builder().put("type", new StringValue("var")).put("value", new StringValue("data")).build());
    for (String p : m.packagePath()) {
      path.add(ObjectValue.builder().put("type", new StringValue("string")).put("value", new StringValue(p)).build());
    }
    List<Value> rules = new ArrayList<>();
    for (Rule r : m.rules()) {
      rules.add(ObjectValue.builder().put("head", ObjectValue.builder().put("name", new StringValue(r.name())).build()).build());
    }
    ObjectValue ast = ObjectValue.builder()
        .put("package", ObjectValue.builder().put("path", new ArrayValue(path)).build())
        .put("rules", new ArrayValue(rules))
        .build();
    return k.accept(ast);
  }

  private void recordBuiltinError(String code, String message, Location loc) {
    if (options.strictBuiltinErrors() && strictError == null) strictError = new EvalException(code, message, loc);
  }

  private static boolean member2(Value x, Value coll) {
    if (coll instanceof SetValue s) return s.contains(x);
    if (coll instanceof ArrayValue a) return a.elements().contains(x);
    if (coll instanceof ObjectValue o) return o.entries().containsValue(x);
    return false;
  }

  private static boolean member3(Value key, Value val, Value coll) {
    Value got = lookup(coll, key);
    return got != null && got.equals(val) && !(coll instanceof SetValue && !key.equals(val));
  }

  private boolean walk(List<Value> path, Value v, VCont k) {
    if (!k.accept(ArrayValue.of(new ArrayValue(path), v))) return false;
    return forEach(v, (key, child) -> {
      path.add(key);
      boolean r = walk(path, child, k);
      path.remove(path.size() - 1);
      return r;
    });
  }

  private void sleep(Value d) {
    if (!(d instanceof StringValue s)) return;
    try {
      long ms = parseDurationMillis(s.value());
      Thread.sleep(Math.min(ms, 5000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ignored) {
      // an unparsable duration sleeps for nothing
    }
  }

  private static long parseDurationMillis(String s) {
    if (s.endsWith("ms")) return Long.parseLong(s.substring(0, s.length() - 2));
    if (s.endsWith("s")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
    if (s.endsWith("m")) return Long.parseLong(s.substring(0, s.length() - 1)) * 60_000;
    return Duration.parse("PT" + s.toUpperCase()).toMillis();
  }
}
