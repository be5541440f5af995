package io.portcullis.policy.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Module;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.compiler.CompiledPolicy;
import io.portcullis.policy.compiler.CompiledQuery;
import io.portcullis.policy.compiler.Compiler;
import io.portcullis.policy.eval.EvalException;
import io.portcullis.policy.eval.EvalOptions;
import io.portcullis.policy.eval.EvalResult;
import io.portcullis.policy.eval.Evaluator;
import io.portcullis.policy.parser.Parser;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs OPA conformance case files (see the shared {@code FORMAT.md}) with OPA's pass criteria:
 * compile the modules as {@code test-<i>.rego}, evaluate the query, compare errors and rows.
 */
public final class ConformanceRunner {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private final BuiltinRegistry builtins;
  private final SkipList skipList;

  public ConformanceRunner(BuiltinRegistry builtins, SkipList skipList) {
    this.builtins = builtins;
    this.skipList = skipList;
  }

  /** Every case of every {@code .yaml}/{@code .yml} file under dir, in path order. */
  public static List<ConformanceCase> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    List<ConformanceCase> out = new ArrayList<>();
    for (Path f : files) {
      JsonNode root = YAML.readTree(f.toFile());
      JsonNode cases = root == null ? null : root.get("cases");
      if (cases == null) continue;
      int i = 0;
      for (JsonNode c : cases) {
        out.add(new ConformanceCase(dir.relativize(f), i++, c.path("note").asText(), c));
      }
    }
    return out;
  }

  /** Runs all cases under dir, prints failures and the summary line to out; returns the outcomes. */
  public List<CaseOutcome> runAll(Path dir, PrintStream out) throws IOException {
    List<CaseOutcome> outcomes = new ArrayList<>();
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (ConformanceCase c : load(dir)) {
      CaseOutcome o = run(c);
      outcomes.add(o);
      switch (o.status()) {
        case PASSED -> passed++;
        case SKIPPED -> skipped++;
        case FAILED -> {
          failed++;
          out.println("FAIL " + c.file() + " #" + c.index() + ": " + c.note());
          out.println("  expected: " + o.expected());
          out.println("  got:      " + o.got());
        }
      }
    }
    out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
    return outcomes;
  }

  /** Runs one case. */
  public CaseOutcome run(ConformanceCase c) {
    String reason = skipList.reason(c);
    if (reason != null) return CaseOutcome.skipped(c, reason);
    JsonNode f = c.fields();
    String wantError = f.hasNonNull("want_error") ? f.get("want_error").asText() : null;
    String wantCode = f.hasNonNull("want_error_code") ? f.get("want_error_code").asText() : null;
    boolean expectError = wantError != null || wantCode != null;
    String expectedText = describeExpected(f);
    try {
      List<Module> modules = new ArrayList<>();
      int i = 0;
      for (JsonNode m : f.path("modules")) {
        modules.add(Parser.parseModule("test-" + (i++) + ".rego", m.asText()));
      }
      CompiledPolicy policy = new Compiler(builtins).compile(modules);
      List<Expr> queryBody = Parser.parseQuery(f.path("query").asText());
      CompiledQuery query = Compiler.compileQuery(policy, queryBody);
      Value data = f.has("data") ? Json.fromJson(f.get("data")) : ObjectValue.EMPTY;
      Value input = null;
      if (f.hasNonNull("input_term")) {
        input = constant(Parser.parseTerm(f.get("input_term").asText()));
      } else if (f.has("input")) {
        input = Json.fromJson(f.get("input"));
      }
      boolean strict = f.path("strict_error").asBoolean(false);
      EvalOptions options = EvalOptions.defaults().withStrict(strict).withLimits(50_000_000L, Duration.ofSeconds(20));
      List<Map<String, Value>> rows;
      EvalException error;
      try {
        EvalResult r = new Evaluator(policy).evaluate(query, input, data, options);
        rows = r.rows();
        error = r.strictError();
      } catch (EvalException e) {
        rows = List.of();
        error = e;
      }
      if (expectError) {
        if (error == null) return CaseOutcome.failed(c, expectedText, "no error, rows " + renderRows(rows, f));
        if (wantError != null && !error.getMessage().contains(wantError)) {
          return CaseOutcome.failed(c, expectedText, "error " + error.getMessage());
        }
        if (wantCode != null && !wantCode.equals(error.code())) return CaseOutcome.failed(c, expectedText, "error " + error.getMessage());
      } else if (error != null) {
        return CaseOutcome.failed(c, expectedText, "error " + error.getMessage());
      }
      if (f.has("want_result")) {
        TreeSet<Value> want = new TreeSet<>();
        for (JsonNode row : f.get("want_result")) want.add(normalizeExpected(row, f));
        TreeSet<Value> got = actualRows(rows, f);
        if (!want.equals(got)) return CaseOutcome.failed(c, expectedText, "rows " + got);
      }
      return CaseOutcome.passed(c);
    } catch (EvalException e) {
      return CaseOutcome.failed(c, expectedText, "error " + e.getMessage());
    } catch (RuntimeException e) {
      return CaseOutcome.failed(c, expectedText, "error " + e);
    } catch (StackOverflowError e) {
      return CaseOutcome.failed(c, expectedText, "stack overflow");
    }
  }

  private static String describeExpected(JsonNode f) {
    StringBuilder sb = new StringBuilder();
    if (f.has("want_result")) sb.append("rows ").append(f.get("want_result"));
    if (f.has("want_error_code")) sb.append(sb.length() > 0 ? ", " : "").append("error code ").append(f.get("want_error_code").asText());
    if (f.has("want_error")) sb.append(sb.length() > 0 ? ", " : "").append("error containing ").append(Json.quote(f.get("want_error").asText()));
    return sb.toString();
  }

  private static String renderRows(List<Map<String, Value>> rows, JsonNode f) {
    return actualRows(rows, f).toString();
  }

  private static TreeSet<Value> actualRows(List<Map<String, Value>> rows, JsonNode f) {
    boolean sort = f.path("sort_bindings").asBoolean(false);
    boolean ignoreGenerated = f.path("ignore_generated_vars").asBoolean(false);
    TreeSet<Value> out = new TreeSet<>();
    for (Map<String, Value> row : rows) {
      TreeMap<Value, Value> m = new TreeMap<>();
      for (Map.Entry<String, Value> e : row.entrySet()) {
        if (ignoreGenerated && e.getKey().startsWith("__localq")) continue;
        Value v = Json.fromJson(Json.toJson(e.getValue()));
        if (sort && v instanceof ArrayValue a) {
          List<Value> items = new ArrayList<>(a.elements());
          items.sort(null);
          v = new ArrayValue(items);
        }
        m.put(new StringValue(e.getKey()), v);
      }
      out.add(ObjectValue.of(m));
    }
    return out;
  }

  private static Value normalizeExpected(JsonNode row, JsonNode f) {
    boolean sort = f.path("sort_bindings").asBoolean(false);
    TreeMap<Value, Value> m = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = row.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Value v = Json.fromJson(e.getValue());
      if (sort && v instanceof ArrayValue a) {
        List<Value> items = new ArrayList<>(a.elements());
        items.sort(null);
        v = new ArrayValue(items);
      }
      m.put(new StringValue(e.getKey()), v);
    }
    return ObjectValue.of(m);
  }

  /** The value of a constant term (input_term): scalars and collections of constants. */
  public static Value constant(Term t) {
    if (t instanceof Term.Scalar s) return s.value();
    if (t instanceof Term.ArrayTerm a) {
      List<Value> items = new ArrayList<>();
      for (Term x : a.items()) items.add(constant(x));
      return new ArrayValue(items);
    }
    if (t instanceof Term.SetTerm s) {
      List<Value> items = new ArrayList<>();
      for (Term x : s.items()) items.add(constant(x));
      return SetValue.of(items);
    }
    if (t instanceof Term.ObjectTerm o) {
      TreeMap<Value, Value> m = new TreeMap<>();
      for (Term.Entry e : o.entries()) m.put(constant(e.key()), constant(e.value()));
      return ObjectValue.of(m);
    }
    throw new IllegalArgumentException("not a constant term at " + t.location());
  }
}
