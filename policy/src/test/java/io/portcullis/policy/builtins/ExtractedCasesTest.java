package io.portcullis.policy.builtins;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs the conformance cases that consist of a single builtin call with literal arguments directly
 * against the builtins (extracted from the shared OPA cases into builtin-cases.json), so builtins can
 * be checked before and independently of the evaluator.
 */
class ExtractedCasesTest {
  /** The pass rate this suite must keep; raise it as builtins improve. */
  private static final double MIN_PASS_RATE = 0.99;

  private static final BuiltinContext CONTEXT = new BuiltinContext() {
    @Override public Instant queryStartTime() { return Instant.parse("2026-01-01T00:00:00Z"); }
    @Override public Random random() { return new Random(1); }
    @Override public void print(String line) {}
  };

  @Test
  void extractedCasesPass() throws Exception {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("/builtins/builtin-cases.json")) {
      cases = new ObjectMapper().readTree(in);
    }
    BuiltinRegistry registry = BuiltinRegistry.standard();
    int passed = 0;
    int failed = 0;
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String where = c.get("file").asText() + "#" + c.get("index").asInt() + " " + c.get("note").asText();
      String problem = check(registry, c);
      if (problem == null) {
        passed++;
      } else {
        failed++;
        failures.add(where + ": " + problem);
      }
    }
    failures.forEach(System.out::println);
    System.out.println("extracted builtin cases: " + passed + " passed, " + failed + " failed");
    assertTrue(passed >= MIN_PASS_RATE * (passed + failed), passed + " passed, " + failed + " failed");
  }

  private static String check(BuiltinRegistry registry, JsonNode c) {
    if (c.get("form").asText().equals("compare")) return checkComparison(registry, c);
    String fn = c.get("fn").asText();
    Builtin builtin = registry.lookup(fn).orElse(null);
    if (builtin == null) return "missing builtin " + fn;
    List<Value> args = new ArrayList<>();
    for (JsonNode a : c.get("args")) args.add(decode(a));
    Value expectedOutput = null;
    if (args.size() == builtin.arity() + 1) expectedOutput = args.remove(args.size() - 1);
    if (args.size() != builtin.arity()) return "arity " + args.size() + " vs " + builtin.arity();
    Value result = null;
    BuiltinException error = null;
    try {
      result = builtin.implementation().call(CONTEXT, args);
    } catch (BuiltinException e) {
      error = e;
    } catch (RuntimeException e) {
      return "crash " + e;
    }
    String form = c.get("form").asText();
    if (expectedOutput != null && result != null) result = BooleanValue.of(result.compareTo(expectedOutput) == 0);
    JsonNode wantError = c.get("want_error");
    JsonNode wantCode = c.get("want_error_code");
    boolean strict = c.get("strict").asBoolean();
    if (strict && (notNull(wantError) || notNull(wantCode))) {
      if (error == null) return "expected error, got " + result;
      if (notNull(wantCode) && !wantCode.asText().equals(error.kind().code())) {
        return "code " + error.kind().code() + " (" + error.getMessage() + ")";
      }
      if (notNull(wantError)) {
        String want = wantError.asText().replaceFirst("^.*?eval_(type|builtin)_error: ", "");
        if (!error.getMessage().contains(want)) return "message '" + error.getMessage() + "' lacks '" + want + "'";
      }
      return null;
    }
    JsonNode wantResult = c.get("want_result");
    if (!notNull(wantResult)) return "no expectation";
    if (error != null && strict) return "unexpected error " + error.getMessage();
    List<Value> rows = ((ArrayValue) decode(wantResult)).elements();
    boolean undefined = error != null || result == null || (form.equals("truthy") && result == BooleanValue.FALSE);
    if (rows.isEmpty()) return undefined ? null : "expected undefined, got " + result;
    if (undefined) return "undefined (" + (error == null ? "no result" : error.getMessage()) + ")";
    Value want = ((ObjectValue) rows.get(0)).get("x");
    Value got = switch (form) {
      case "truthy" -> BooleanValue.TRUE;
      case "setvalue" -> SetValue.of(result);
      default -> result;
    };
    Value gotJson = Json.fromJson(Json.toJson(got));
    Value wantJson = Json.fromJson(Json.toJson(want));
    if (c.get("sort").asBoolean() && gotJson instanceof ArrayValue ga && wantJson instanceof ArrayValue wa) {
      List<Value> g = new ArrayList<>(ga.elements());
      g.sort(null);
      List<Value> w = new ArrayList<>(wa.elements());
      w.sort(null);
      gotJson = new ArrayValue(g);
      wantJson = new ArrayValue(w);
    }
    return gotJson.compareTo(wantJson) == 0 ? null : "got " + Json.render(gotJson) + " want " + Json.render(wantJson);
  }

  /** {@code p if { [not] LHS op RHS }} where each side is a builtin call or a literal. */
  private static String checkComparison(BuiltinRegistry registry, JsonNode c) {
    Value[] sides = new Value[2];
    BuiltinException error = null;
    String[] names = {"lhs", "rhs"};
    for (int i = 0; i < 2 && error == null; i++) {
      JsonNode side = c.get(names[i]);
      if (side.has("lit")) {
        sides[i] = decode(side.get("lit"));
        continue;
      }
      String fn = side.get("fn").asText();
      Builtin builtin = registry.lookup(fn).orElse(null);
      if (builtin == null) return "missing builtin " + fn;
      List<Value> args = new ArrayList<>();
      for (JsonNode a : side.get("args")) args.add(decode(a));
      if (args.size() != builtin.arity()) return "arity " + args.size() + " vs " + builtin.arity();
      try {
        sides[i] = builtin.implementation().call(CONTEXT, args);
      } catch (BuiltinException e) {
        error = e;
      } catch (RuntimeException e) {
        return "crash " + e;
      }
    }
    boolean strict = c.get("strict").asBoolean();
    JsonNode wantError = c.get("want_error");
    JsonNode wantCode = c.get("want_error_code");
    if (strict && (notNull(wantError) || notNull(wantCode))) {
      if (error == null) return "expected error, got " + sides[0] + " / " + sides[1];
      if (notNull(wantCode) && !wantCode.asText().equals(error.kind().code())) return "code " + error.kind().code();
      if (notNull(wantError)) {
        String want = wantError.asText().replaceFirst("^.*?eval_(type|builtin)_error: ", "");
        if (!error.getMessage().contains(want)) return "message '" + error.getMessage() + "' lacks '" + want + "'";
      }
      return null;
    }
    if (error != null && strict) return "unexpected error " + error.getMessage();
    boolean truth = false;
    if (error == null && sides[0] != null && sides[1] != null) {
      int cmp = sides[0].compareTo(sides[1]);
      truth = switch (c.get("op").asText()) {
        case "==" -> cmp == 0;
        case "!=" -> cmp != 0;
        case "<" -> cmp < 0;
        case "<=" -> cmp <= 0;
        case ">" -> cmp > 0;
        default -> cmp >= 0;
      };
    }
    if (c.get("negate").asBoolean()) truth = !truth && error == null;
    boolean wantTrue = c.get("want_result").size() > 0;
    return truth == wantTrue ? null : "comparison was " + truth + " (" + sides[0] + " vs " + sides[1] + ")";
  }

  private static boolean notNull(JsonNode n) { return n != null && !n.isNull(); }

  static Value decode(JsonNode n) {
    if (n.isNull()) return NullValue.NULL;
    if (n.isBoolean()) return BooleanValue.of(n.booleanValue());
    if (n.isTextual()) return new StringValue(n.textValue());
    if (n.isNumber()) return NumberValue.parse(n.asText());
    if (n.isArray()) {
      List<Value> out = new ArrayList<>();
      for (JsonNode e : n) out.add(decode(e));
      return new ArrayValue(out);
    }
    if (n.has("$num")) return NumberValue.parse(n.get("$num").asText());
    if (n.has("$set")) {
      TreeSet<Value> out = new TreeSet<>();
      for (JsonNode e : n.get("$set")) out.add(decode(e));
      return SetValue.of(out);
    }
    if (n.has("$obj")) {
      TreeMap<Value, Value> out = new TreeMap<>();
      for (JsonNode e : n.get("$obj")) out.put(decode(e.get(0)), decode(e.get(1)));
      return ObjectValue.of(out);
    }
    throw new IllegalArgumentException("cannot decode " + n);
  }
}
