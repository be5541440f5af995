package io.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Module;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.bundle.Bundle;
import io.portcullis.policy.bundle.BundleLoader;
import io.portcullis.policy.compiler.CompileError;
import io.portcullis.policy.compiler.CompileException;
import io.portcullis.policy.compiler.CompiledPolicy;
import io.portcullis.policy.compiler.CompiledQuery;
import io.portcullis.policy.compiler.Compiler;
import io.portcullis.policy.eval.EvalException;
import io.portcullis.policy.eval.EvalOptions;
import io.portcullis.policy.eval.EvalResult;
import io.portcullis.policy.eval.Evaluator;
import io.portcullis.policy.lexer.RegoSyntaxException;
import io.portcullis.policy.parser.Parser;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The embedded Rego engine: compiles a bundle once, then evaluates it from any number of threads.
 * Each evaluation runs under the configured {@link EvaluationLimits}; exceeding them is an error.
 */
public final class EmbeddedRegoEngine implements PolicyEngine {
  /** The largest Rego source accepted, per module. */
  public static final int MAX_MODULE_CHARS = 4 * 1024 * 1024;

  private final CompiledPolicy policy;
  private final Evaluator evaluator;
  private final Value data;
  private final String revision;
  private final EvaluationLimits limits;
  private final Map<String, CompiledQuery> pathQueries;
  private final boolean strictBuiltinErrors;
  private final Consumer<String> printer;

  private EmbeddedRegoEngine(CompiledPolicy policy, Value data, String revision, EvaluationLimits limits) {
    this(policy, data, revision, limits, new ConcurrentHashMap<>(), false, line -> { });
  }

  private EmbeddedRegoEngine(CompiledPolicy policy, Value data, String revision, EvaluationLimits limits,
                             Map<String, CompiledQuery> pathQueries, boolean strictBuiltinErrors, Consumer<String> printer) {
    this.policy = policy;
    this.evaluator = new Evaluator(policy);
    this.data = data;
    this.revision = revision;
    this.limits = limits;
    this.pathQueries = pathQueries;
    this.strictBuiltinErrors = strictBuiltinErrors;
    this.printer = printer;
  }

  /**
   * The same compiled policy with other run-time options: with {@code strictBuiltinErrors} a failing
   * builtin call (e.g. {@code to_number("x")}) fails the evaluation instead of being undefined (OPA's
   * {@code --strict-builtin-errors}; useful to fail closed); {@code printer} receives {@code print()} output.
   */
  public EmbeddedRegoEngine withOptions(boolean strictBuiltinErrors, Consumer<String> printer) {
    return new EmbeddedRegoEngine(policy, data, revision, limits, pathQueries, strictBuiltinErrors, printer);
  }

  /** Loads {@code .rego} files and {@code data.json}/{@code data.yaml} files from directories or files. */
  public static EmbeddedRegoEngine load(List<Path> dirsOrFiles, EvaluationLimits limits) throws PolicyException {
    Bundle bundle;
    try {
      bundle = BundleLoader.load(dirsOrFiles);
    } catch (IOException e) {
      throw new PolicyException("bundle_error", e.getMessage(), null, e);
    } catch (RuntimeException e) {
      throw new PolicyException("bundle_error", "cannot read data documents: " + e.getMessage(), null, e);
    }
    return fromBundle(bundle, limits);
  }

  public static EmbeddedRegoEngine load(Path dirOrFile, EvaluationLimits limits) throws PolicyException {
    return load(List.of(dirOrFile), limits);
  }

  public static EmbeddedRegoEngine load(EvaluationLimits limits, Path... dirsOrFiles) throws PolicyException {
    return load(List.of(dirsOrFiles), limits);
  }

  /** Compiles modules given as source text (name to source) with a base data document (null for none). */
  public static EmbeddedRegoEngine fromSources(Map<String, String> modules, JsonNode data, EvaluationLimits limits)
      throws PolicyException {
    Value d;
    try {
      d = data == null ? ObjectValue.EMPTY : Json.fromJson(data);
    } catch (IllegalArgumentException e) {
      throw new PolicyException("bundle_error", "cannot read the data document: " + e.getMessage(), null, e);
    }
    return fromBundle(new Bundle(modules, d, Integer.toHexString(modules.hashCode())), limits);
  }

  private static EmbeddedRegoEngine fromBundle(Bundle bundle, EvaluationLimits limits) throws PolicyException {
    List<Module> modules = new ArrayList<>();
    for (Map.Entry<String, String> e : bundle.modules().entrySet()) {
      if (e.getValue().length() > MAX_MODULE_CHARS) {
        throw new PolicyException("rego_parse_error", e.getKey() + ": module larger than " + MAX_MODULE_CHARS + " characters", e.getKey());
      }
      try {
        modules.add(Parser.parseModule(e.getKey(), e.getValue()));
      } catch (RegoSyntaxException ex) {
        throw new PolicyException("rego_parse_error", ex.getMessage(), ex.location().full(), ex);
      }
    }
    try {
      CompiledPolicy policy = new Compiler(BuiltinRegistry.standard()).compile(modules);
      return new EmbeddedRegoEngine(policy, bundle.data(), bundle.revision(), limits);
    } catch (CompileException ex) {
      throw compileFailure(ex);
    }
  }

  private static PolicyException compileFailure(CompileException ex) {
    CompileError first = ex.errors().get(0);
    return new PolicyException(first.code(), ex.getMessage(), first.location() == null ? null : first.location().full(), ex);
  }

  @Override
  public String revision() { return revision; }

  /** The compiled modules (used by the test runner to find {@code test_} rules). */
  public List<Module> modules() { return policy.modules(); }

  @Override
  public Optional<JsonNode> evaluate(String path, JsonNode input) throws PolicyException {
    Optional<Value> v = evaluateValue(path, input == null ? null : inputValue(input));
    return v.map(Json::toJson);
  }

  /**
   * Evaluates {@code data.<path>} with an input already converted to a Rego value (null for
   * undefined); saves the JSON conversion when the caller keeps inputs as values.
   */
  public Optional<Value> evaluateValue(String path, Value input) throws PolicyException {
    CompiledQuery q = pathQueries.get(path);
    if (q == null) {
      q = compile(pathQuery(path), false);
      pathQueries.put(path, q);
    }
    EvalResult r = run(q, input, printer, strictBuiltinErrors);
    if (r.rows().isEmpty()) return Optional.empty();
    return Optional.ofNullable(r.rows().get(0).get("result"));
  }

  /** {@code result = data.a.b} for "a/b" or "a.b"; segments that are not identifiers are quoted. */
  private static String pathQuery(String path) {
    StringBuilder sb = new StringBuilder("result = data");
    for (String seg : path.split("[/.]")) {
      if (seg.isEmpty()) continue;
      if (seg.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        sb.append('.').append(seg);
      } else {
        sb.append('[').append(Json.quote(seg)).append(']');
      }
    }
    return sb.toString();
  }

  /** The rows and expression values of an ad-hoc query, as {@code opa eval} reports them. */
  public record QueryRows(List<String> expressionTexts, List<String> expressionVars, List<Map<String, Value>> rows, List<String> vars) {}

  /** Runs an ad-hoc query (CLI {@code eval}, tests); {@code print} output goes to printer. */
  public QueryRows query(String query, JsonNode input, Consumer<String> printer) throws PolicyException {
    CompiledQuery q = compile(query, true);
    List<String> texts;
    try {
      texts = Parser.queryExpressionTexts(query);
    } catch (RegoSyntaxException e) {
      texts = List.of();
    }
    EvalResult r = run(q, input == null ? null : inputValue(input), printer, false);
    return new QueryRows(texts, q.expressionVars(), r.rows(), q.vars());
  }

  private static Value inputValue(JsonNode input) throws PolicyException {
    try {
      return Json.fromJson(input);
    } catch (IllegalArgumentException e) {
      throw new PolicyException("invalid_input", "cannot read the input document: " + e.getMessage(), null, e);
    }
  }

  private CompiledQuery compile(String query, boolean capture) throws PolicyException {
    try {
      List<Expr> body = Parser.parseQuery(query);
      return Compiler.compileQuery(policy, body, capture);
    } catch (RegoSyntaxException e) {
      throw new PolicyException("rego_parse_error", e.getMessage(), e.location().full(), e);
    } catch (CompileException e) {
      throw compileFailure(e);
    }
  }

  private EvalResult run(CompiledQuery q, Value input, Consumer<String> printer, boolean strict) throws PolicyException {
    EvalOptions options = new EvalOptions(strict, limits.maxSteps(), limits.timeout(), printer);
    try {
      EvalResult r = evaluator.evaluate(q, input, data, options);
      if (r.strictError() != null) throw failure(r.strictError());
      return r;
    } catch (EvalException e) {
      throw failure(e);
    }
  }

  private static PolicyException failure(EvalException e) {
    return new PolicyException(e.code(), e.getMessage(), e.location() == null ? null : e.location().full(), e);
  }

  /** The names of the rules in a module that start with {@code test_}. */
  public static List<String> testRuleNames(Module m) {
    List<String> out = new ArrayList<>();
    for (Rule r : m.rules()) {
      if (r.ref().size() == 1 && r.kind() == Rule.Kind.COMPLETE && r.name().startsWith("test_") && !out.contains(r.name())) {
        out.add(r.name());
      }
    }
    return out;
  }
}
