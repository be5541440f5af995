package io.portcullis.policy.compiler;

import io.portcullis.policy.ast.CallTarget;
import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Import;
import io.portcullis.policy.ast.Module;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.builtins.Builtin;
import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles modules in an ordered table of named stages (as OPA does): each stage reads what the
 * previous ones produced; compilation stops after the first stage that reports errors.
 */
public final class Compiler {
  /** Builtins the evaluator provides itself, with their arity ({@link Resolver#VARIADIC} for print). */
  public static final Map<String, Integer> EVALUATOR_BUILTINS = Map.of(
      "walk", 1,
      "print", Resolver.VARIADIC,
      "trace", 1,
      "internal.member_2", 2,
      "internal.member_3", 3,
      "test.sleep", 1,
      "opa.runtime", 0,
      "rego.metadata.rule", 0,
      "rego.metadata.chain", 0,
      "rego.parse_module", 2);

  private static final int MAX_ERRORS = 10;

  private final BuiltinRegistry builtins;
  private final List<CompileError> errors = new ArrayList<>();
  private final int[] counter = {0};

  // state passed between stages
  private List<Module> modules;
  private final Map<String, Set<String>> ruleNamesByPackage = new HashMap<>();
  private final Map<String, Integer> functions = new TreeMap<>();
  private final Map<Rule, Module> moduleOf = new IdentityHashMap<>();
  private final List<Rule> resolved = new ArrayList<>();
  private final List<Rule> safe = new ArrayList<>();
  private RuleNode root;

  private record Stage(String name, Runnable run) {}

  public Compiler(BuiltinRegistry builtins) { this.builtins = builtins; }

  /** Compiles modules together; throws {@link CompileException} with every error found. */
  public CompiledPolicy compile(List<Module> modules) {
    this.modules = List.copyOf(modules);
    List<Stage> stages = List.of(
        new Stage("CollectRules", this::collectRules),
        new Stage("ResolveRefs", this::resolveRefs),
        new Stage("CheckSafety", this::checkSafety),
        new Stage("BuildRuleTree", this::buildRuleTree),  // includes BuildRuleIndices (guards)
        new Stage("CheckRecursion", this::checkRecursion));
    for (Stage s : stages) {
      s.run().run();
      if (!errors.isEmpty()) throw new CompileException(errors.subList(0, Math.min(errors.size(), MAX_ERRORS)));
    }
    return new CompiledPolicy(root, modules, functions, builtins);
  }

  /** Compiles a query against a compiled policy. */
  public static CompiledQuery compileQuery(CompiledPolicy policy, List<Expr> query) {
    return compileQuery(policy, query, false);
  }

  /**
   * Compiles a query; with {@code captureExpressions}, the value of each top-level term expression is
   * kept in a generated variable (named in {@link CompiledQuery#expressionVars()}) as OPA reports it.
   */
  public static CompiledQuery compileQuery(CompiledPolicy policy, List<Expr> query, boolean captureExpressions) {
    List<String> exprVars = new ArrayList<>();
    if (captureExpressions) {
      List<Expr> rewritten = new ArrayList<>();
      for (int i = 0; i < query.size(); i++) {
        Expr e = query.get(i);
        if (!e.negated() && e.kind() instanceof Expr.TermExpr t) {
          String name = "$e" + i;
          Term.Var v = new Term.Var(name, e.location());
          rewritten.add(new Expr(new Expr.Unify(v, t.term(), false), false, e.withs(), e.location()));
          rewritten.add(new Expr(new Expr.TermExpr(v), false, List.of(), e.location()));
          exprVars.add(name);
        } else {
          rewritten.add(e);
          exprVars.add(null);
        }
      }
      query = rewritten;
    }
    Compiler c = new Compiler(policy.builtins());
    c.functions.putAll(policy.functions());
    Resolver r = c.resolver(List.of(), Set.of(), Map.of());
    Set<String> vars = new LinkedHashSet<>();
    List<Expr> body = r.rewriteQuery(query, vars);
    if (!c.errors.isEmpty()) throw new CompileException(c.errors);
    Set<String> bound = new HashSet<>();
    body = new Safety(c.errors).reorder(body, bound, Set.of());
    if (!c.errors.isEmpty()) throw new CompileException(c.errors);
    List<String> out = new ArrayList<>();
    for (String v : vars) if (!v.contains("$")) out.add(v);
    return new CompiledQuery(body, out, exprVars);
  }

  private Resolver resolver(List<String> pkg, Set<String> ruleNames, Map<String, Term.Ref> imports) {
    return new Resolver(pkg, ruleNames, imports, functions, this::builtinArity, builtins, errors, counter);
  }

  private int builtinArity(String name) {
    Integer special = EVALUATOR_BUILTINS.get(name);
    if (special != null) return special;
    Optional<Builtin> b = builtins.lookup(name);
    return b.map(Builtin::arity).orElse(Resolver.UNKNOWN);
  }

  private static String key(List<String> path) { return String.join(".", path); }

  // ---------------------------------------------------------------- stages

  private void collectRules() {
    Map<String, Rule.Kind> kinds = new HashMap<>();
    for (Module m : modules) {
      Set<String> names = ruleNamesByPackage.computeIfAbsent(key(m.packagePath()), k -> new HashSet<>());
      for (Rule r : m.rules()) {
        moduleOf.put(r, m);
        names.add(r.name());
        List<String> path = staticPath(m.packagePath(), r.ref());
        if (r.kind() == Rule.Kind.FUNCTION) {
          if (path == null) {
            errors.add(new CompileError("rego_parse_error", "function name must be a static reference", r.location()));
            continue;
          }
          Integer prev = functions.put(key(path), r.args().size());
          if (prev != null && prev != r.args().size()) {
            errors.add(new CompileError("rego_type_error",
                "function data." + key(path) + " has arity " + prev + ", got " + r.args().size() + " arguments", r.location()));
          }
        }
        if (path != null && !r.isDefault()) {
          Rule.Kind prevKind = kinds.put(key(path), r.kind());
          if (prevKind != null && prevKind != r.kind()
              && (prevKind == Rule.Kind.FUNCTION || r.kind() == Rule.Kind.FUNCTION || r.ref().size() == 1)) {
            errors.add(new CompileError("rego_type_error", "conflicting rules data." + key(path) + " found", r.location()));
          }
        }
      }
    }
  }

  private static List<String> staticPath(List<String> pkg, List<Term> ref) {
    List<String> out = new ArrayList<>(pkg);
    for (Term t : ref) {
      if (t instanceof Term.Scalar s && s.value() instanceof StringValue sv) {
        out.add(sv.value());
      } else {
        return null;
      }
    }
    return out;
  }

  private void resolveRefs() {
    for (Module m : modules) {
      Map<String, Term.Ref> imports = new LinkedHashMap<>();
      for (Import imp : m.imports()) {
        String root = ((Term.Var) imp.path().head()).name();
        if (root.equals("future") || root.equals("rego")) continue;
        if (imports.put(imp.alias(), imp.path()) != null) {
          errors.add(new CompileError("rego_compile_error", "import must not shadow import " + imp.alias(), imp.location()));
        }
      }
      Resolver r = resolver(m.packagePath(), ruleNamesByPackage.get(key(m.packagePath())), imports);
      for (Rule rule : m.rules()) {
        setMetadata(r, m, rule);
        Rule rr = r.rewriteRule(rule);
        moduleOf.put(rr, m);
        resolved.add(rr);
      }
    }
  }

  private Map<String, ObjectValue> packageAnnotations;
  private Map<String, ObjectValue> documentAnnotations;

  /** Collects package- and document-scoped annotations of all modules (once). */
  private void collectAnnotations() {
    packageAnnotations = new HashMap<>();
    documentAnnotations = new HashMap<>();
    for (Module m : modules) {
      String pkgYaml = m.annotations().get(m.location().row());
      if (pkgYaml != null) {
        packageAnnotations.putIfAbsent(key(m.packagePath()), Metadata.parse(pkgYaml, "package", m.location(), errors));
      }
      for (Rule r : m.rules()) {
        String yaml = m.annotations().get(r.location().row());
        if (yaml == null) continue;
        ObjectValue a = Metadata.parse(yaml, "rule", r.location(), errors);
        if (a.get("scope") instanceof StringValue sv && sv.value().equals("document")) {
          documentAnnotations.putIfAbsent(key(rulePath(m, r)), a);
        }
      }
    }
  }

  private static List<String> rulePath(Module m, Rule r) {
    List<String> path = new ArrayList<>(m.packagePath());
    for (Term t : r.ref()) {
      if (t instanceof Term.Scalar s && s.value() instanceof StringValue sv) {
        path.add(sv.value());
      } else {
        break;
      }
    }
    return path;
  }

  /** What rego.metadata.rule() and rego.metadata.chain() return inside this rule. */
  private void setMetadata(Resolver r, Module m, Rule rule) {
    if (packageAnnotations == null) collectAnnotations();
    List<String> path = rulePath(m, rule);
    String yaml = m.annotations().get(rule.location().row());
    ObjectValue own = yaml == null ? null : Metadata.parse(yaml, "rule", rule.location(), new ArrayList<>());
    ObjectValue document = documentAnnotations.get(key(path));
    boolean ownIsDocument = own != null && own.get("scope") instanceof StringValue sv && sv.value().equals("document");
    List<Value> chain = new ArrayList<>();
    chain.add(Metadata.entry(path, ownIsDocument ? null : own));
    if (document != null) chain.add(Metadata.entry(path, document));
    ObjectValue pkg = packageAnnotations.get(key(m.packagePath()));
    if (pkg != null) chain.add(Metadata.entry(m.packagePath(), pkg));
    ObjectValue ruleValue = own != null ? own : document != null ? document : ObjectValue.EMPTY;
    r.setMetadata(ruleValue, new ArrayValue(chain));
  }

  private void checkSafety() {
    Safety safety = new Safety(errors);
    for (Rule r : resolved) {
      Rule s = safeRule(safety, r);
      moduleOf.put(s, moduleOf.get(r));
      safe.add(s);
    }
  }

  private Rule safeRule(Safety safety, Rule r) {
    r = computedArgsToBody(r);
    Set<String> bound = new HashSet<>();
    for (Term a : r.args()) Terms.allVars(a, bound);
    List<Expr> body = safety.reorder(r.body(), bound, Set.of());
    List<Term> heads = new ArrayList<>(r.ref().subList(1, r.ref().size()));
    heads.add(r.key());
    heads.add(r.value());
    safety.checkHead(heads, bound, r.location());
    Rule elseRule = r.elseRule() == null ? null : safeRule(safety, r.elseRule());
    return new Rule(r.ref(), r.kind(), r.args(), r.key(), r.value(), body, r.isDefault(), elseRule, r.location());
  }

  /**
   * A function parameter that must be computed (a template string or a call) becomes a fresh variable
   * plus a body expression unifying it with the computed value, so it is checked once the body has
   * bound what it needs.
   */
  private Rule computedArgsToBody(Rule r) {
    if (r.kind() != Rule.Kind.FUNCTION) return r;
    List<Term> args = new ArrayList<>();
    List<Expr> body = new ArrayList<>(r.body());
    boolean changed = false;
    for (Term a : r.args()) {
      if (a instanceof Term.Template || a instanceof Term.Call) {
        Term.Var v = new Term.Var("$arg" + (counter[0]++), a.location());
        args.add(v);
        body.add(new Expr(new Expr.Unify(v, a, false), false, List.of(), a.location()));
        changed = true;
      } else {
        args.add(a);
      }
    }
    if (!changed) return r;
    return new Rule(r.ref(), r.kind(), args, r.key(), r.value(), body, r.isDefault(), r.elseRule(), r.location());
  }

  private void buildRuleTree() {
    root = new RuleNode(List.of());
    for (Module m : modules) {
      RuleNode n = root;
      for (String p : m.packagePath()) n = n.childOrCreate(new StringValue(p));
    }
    for (Rule r : safe) {
      Module m = moduleOf.get(r);
      List<Term> full = new ArrayList<>();
      for (String p : m.packagePath()) full.add(new Term.Scalar(new StringValue(p), r.location()));
      full.addAll(r.ref());
      RuleNode node = root;
      int i = 0;
      while (i < full.size() && full.get(i) instanceof Term.Scalar s) {
        node = node.childOrCreate(s.value());
        i++;
      }
      List<Term> suffix = full.subList(i, full.size());
      if (r.isDefault() && (!suffix.isEmpty() || r.kind() == Rule.Kind.MULTI)) {
        errors.add(new CompileError("rego_type_error", "default rules must have a ground reference", r.location()));
        continue;
      }
      node.addRule(compiled(r, suffix));
    }
  }

  private CompiledRule compiled(Rule r, List<Term> suffix) {
    return new CompiledRule(r.kind(), List.copyOf(suffix), r.args(), r.key(), r.value(), r.body(),
        r.elseRule() == null ? null : compiled(r.elseRule(), suffix), r.isDefault(), r.location(), guards(r.body()));
  }

  /** Stage "BuildRuleIndices": the {@code input.<constant path> == <constant>} expressions a body requires. */
  private static List<CompiledRule.Guard> guards(List<Expr> body) {
    List<CompiledRule.Guard> out = new ArrayList<>();
    for (Expr e : body) {
      if (e.negated() || !e.withs().isEmpty()) continue;
      Term a;
      Term b;
      if (e.kind() instanceof Expr.Unify u) {
        a = u.left();
        b = u.right();
      } else if (e.kind() instanceof Expr.TermExpr t && t.term() instanceof Term.Call c && c.args().size() == 2
          && c.target() instanceof io.portcullis.policy.ast.CallTarget.BuiltinTarget bt && bt.name().equals("equal")) {
        a = c.args().get(0);
        b = c.args().get(1);
      } else {
        continue;
      }
      CompiledRule.Guard g = guard(a, b);
      if (g == null) g = guard(b, a);
      if (g != null) out.add(g);
    }
    return List.copyOf(out);
  }

  private static CompiledRule.Guard guard(Term ref, Term constant) {
    if (!(constant instanceof Term.Scalar c) || !(ref instanceof Term.Ref r)) return null;
    if (!(r.head() instanceof Term.Var v) || !v.name().equals("input") || r.path().isEmpty()) return null;
    List<Value> path = new ArrayList<>();
    for (Term p : r.path()) {
      if (!(p instanceof Term.Scalar s) || !(s.value() instanceof StringValue)) return null;
      path.add(s.value());
    }
    return new CompiledRule.Guard(path, c.value());
  }

  // ---------------------------------------------------------------- recursion

  private void checkRecursion() {
    Map<RuleNode, Set<RuleNode>> deps = new IdentityHashMap<>();
    collectDeps(root, deps);
    Map<RuleNode, Integer> state = new IdentityHashMap<>();
    for (RuleNode n : deps.keySet()) {
      List<RuleNode> stack = new ArrayList<>();
      if (dfs(n, deps, state, stack)) return;
    }
  }

  private boolean dfs(RuleNode n, Map<RuleNode, Set<RuleNode>> deps, Map<RuleNode, Integer> state, List<RuleNode> stack) {
    Integer st = state.get(n);
    if (st != null && st == 2) return false;
    if (st != null && st == 1) {
      int from = stack.indexOf(n);
      StringBuilder chain = new StringBuilder();
      for (int i = from; i < stack.size(); i++) chain.append(stack.get(i).dotted()).append(" -> ");
      chain.append(n.dotted());
      CompiledRule first = n.rules().isEmpty() ? n.defaultRule() : n.rules().get(0);
      errors.add(new CompileError("rego_recursion_error", "rule " + n.dotted() + " is recursive: " + chain,
          first == null ? null : first.location()));
      return true;
    }
    state.put(n, 1);
    stack.add(n);
    for (RuleNode d : deps.getOrDefault(n, Set.of())) {
      if (dfs(d, deps, state, stack)) return true;
    }
    stack.remove(stack.size() - 1);
    state.put(n, 2);
    return false;
  }

  private void collectDeps(RuleNode n, Map<RuleNode, Set<RuleNode>> deps) {
    if (n.hasRules()) {
      Set<RuleNode> out = new LinkedHashSet<>();
      List<CompiledRule> all = new ArrayList<>(n.rules());
      if (n.defaultRule() != null) all.add(n.defaultRule());
      for (CompiledRule r : all) {
        for (CompiledRule c = r; c != null; c = c.elseRule()) {
          List<Term> terms = new ArrayList<>(c.suffix());
          terms.addAll(c.args());
          if (c.key() != null) terms.add(c.key());
          if (c.value() != null) terms.add(c.value());
          for (Term t : terms) termDeps(t, out);
          for (Expr e : c.body()) exprDeps(e, out);
        }
      }
      deps.put(n, out);
    }
    for (RuleNode c : n.children().values()) collectDeps(c, deps);
  }

  private void exprDeps(Expr e, Set<RuleNode> out) {
    Expr.Kind k = e.kind();
    if (k instanceof Expr.TermExpr t) {
      termDeps(t.term(), out);
    } else if (k instanceof Expr.Unify u) {
      termDeps(u.left(), out);
      termDeps(u.right(), out);
    } else if (k instanceof Expr.SomeIn s) {
      termDeps(s.collection(), out);
    } else if (k instanceof Expr.Every ev) {
      termDeps(ev.domain(), out);
      for (Expr x : ev.body()) exprDeps(x, out);
    }
    for (Expr.With w : e.withs()) termDeps(w.value(), out);
  }

  private void termDeps(Term t, Set<RuleNode> out) {
    if (t instanceof Term.Ref r) {
      if (r.head() instanceof Term.Var v && v.name().equals("data")) {
        matchDeps(root, r.path(), 0, out);
      } else {
        termDeps(r.head(), out);
      }
      for (Term p : r.path()) termDeps(p, out);
    } else if (t instanceof Term.Var v && v.name().equals("data")) {
      addSubtree(root, out);
    } else if (t instanceof Term.Call c) {
      if (c.target() instanceof CallTarget.FunctionTarget f) {
        List<Value> path = new ArrayList<>();
        for (String p : f.path()) path.add(new StringValue(p));
        RuleNode n = root;
        for (Value p : path) {
          n = n == null ? null : n.child(p);
        }
        if (n != null) out.add(n);
      }
      for (Term a : c.args()) termDeps(a, out);
    } else if (t instanceof Term.ArrayTerm a) {
      for (Term x : a.items()) termDeps(x, out);
    } else if (t instanceof Term.SetTerm s) {
      for (Term x : s.items()) termDeps(x, out);
    } else if (t instanceof Term.ObjectTerm o) {
      for (Term.Entry e : o.entries()) {
        termDeps(e.key(), out);
        termDeps(e.value(), out);
      }
    } else if (t instanceof Term.ArrayCompr c) {
      termDeps(c.head(), out);
      for (Expr e : c.body()) exprDeps(e, out);
    } else if (t instanceof Term.SetCompr c) {
      termDeps(c.head(), out);
      for (Expr e : c.body()) exprDeps(e, out);
    } else if (t instanceof Term.ObjectCompr c) {
      termDeps(c.key(), out);
      termDeps(c.value(), out);
      for (Expr e : c.body()) exprDeps(e, out);
    } else if (t instanceof Term.Template tp) {
      for (Object p : tp.parts()) {
        if (p instanceof Term x) termDeps(x, out);
        if (p instanceof Expr x) exprDeps(x, out);
      }
    }
  }

  /** Adds the rule nodes a data reference can reach; a non-constant path element matches any child. */
  private static void matchDeps(RuleNode n, List<Term> path, int i, Set<RuleNode> out) {
    if (n.hasRules()) {
      out.add(n);
      return;
    }
    if (i == path.size()) {
      addSubtree(n, out);
      return;
    }
    if (path.get(i) instanceof Term.Scalar s) {
      RuleNode c = n.child(s.value());
      if (c != null) matchDeps(c, path, i + 1, out);
    } else {
      for (RuleNode c : n.children().values()) matchDeps(c, path, i + 1, out);
    }
  }

  private static void addSubtree(RuleNode n, Set<RuleNode> out) {
    if (n.hasRules()) out.add(n);
    for (RuleNode c : n.children().values()) addSubtree(c, out);
  }
}
