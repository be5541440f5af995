package io.portcullis.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRegoEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EmbeddedRegoEngine engine(String src) throws PolicyException {
    return EmbeddedRegoEngine.fromSources(Map.of("policy.rego", src), null, EvaluationLimits.defaults());
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void undefinedIsEmptyAndFalseIsAValue() throws Exception {
    EmbeddedRegoEngine e = engine("""
        package t
        allow if input.ok
        flag := input.ok
        """);
    assertEquals(Optional.empty(), e.evaluate("t/allow", json("{\"ok\": false}")));
    assertEquals(Optional.of(json("false")), e.evaluate("t/flag", json("{\"ok\": false}")));
    assertEquals(Optional.of(json("true")), e.evaluate("t.allow", json("{\"ok\": true}")));
    assertEquals(Optional.empty(), e.evaluate("t/nothing", json("{}")));
  }

  @Test
  void packageDocumentMergesRulesAndData(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("p.rego"), """
        package portcullis.pull
        import rego.v1

        default allow := false
        allow if count(deny) == 0
        deny contains msg if {
          some s in input.signatures
          not s.verified
          msg := sprintf("signature %s not verified", [s.keyId])
        }
        trusted := data.portcullis.config.trusted
        """);
    Path cfg = dir.resolve("portcullis/config");
    Files.createDirectories(cfg);
    Files.writeString(cfg.resolve("data.json"), "{\"trusted\": [\"k1\"]}");
    EmbeddedRegoEngine e = EmbeddedRegoEngine.load(dir, EvaluationLimits.defaults());
    JsonNode doc = e.evaluate("portcullis/pull", json("{\"signatures\":[{\"verified\":false,\"keyId\":\"k9\"}]}")).orElseThrow();
    assertEquals(json("{\"allow\":false,\"deny\":[\"signature k9 not verified\"],\"trusted\":[\"k1\"]}"), doc);
    String rev = e.revision();
    Files.writeString(cfg.resolve("data.json"), "{\"trusted\": [\"k2\"]}");
    assertNotEquals(rev, EmbeddedRegoEngine.load(dir, EvaluationLimits.defaults()).revision());
  }

  @Test
  void conflictIsAnEvaluationError() throws Exception {
    EmbeddedRegoEngine e = engine("package t\np := x if { x := input.xs[_] }\n");
    PolicyException ex = assertThrows(PolicyException.class, () -> e.evaluate("t/p", json("{\"xs\":[1,2]}")));
    assertEquals("eval_conflict_error", ex.code());
    assertTrue(ex.getMessage().contains("complete rules must not produce multiple outputs"), ex.getMessage());
    assertEquals(Optional.of(json("1")), e.evaluate("t/p", json("{\"xs\":[1,1]}")));
  }

  @Test
  void parseAndCompileErrorsCarryLocations() {
    PolicyException parse = assertThrows(PolicyException.class, () -> engine("package t\n\np := [1,\n"));
    assertEquals("rego_parse_error", parse.code());
    assertTrue(parse.location().startsWith("policy.rego:"), parse.location());
    PolicyException compile = assertThrows(PolicyException.class, () -> engine("package t\n\np := http.send({})\n"));
    assertEquals("rego_compile_error", compile.code());
    assertEquals("policy.rego:3:6", compile.location());
    assertTrue(compile.getMessage().contains("http.send"));
  }

  @Test
  void withReplacesInputDataAndFunctions() throws Exception {
    EmbeddedRegoEngine e = engine("""
        package t
        f(x) := x * 2
        double := f(input.n)
        a := x if { x := double with input.n as 21 }
        b := x if { x := double with f as g }
        g(x) := x + 1000
        c := x if { x := count([1, 2, 3]) with count as 7 }
        d := x if { x := data.t.double with input as {"n": 1} }
        """);
    assertEquals(json("{\"a\":42,\"b\":1005,\"c\":7,\"d\":2,\"double\":10}"), e.evaluate("t", json("{\"n\": 5}")).orElseThrow());
  }

  @Test
  void everySomeAndComprehensions() throws Exception {
    EmbeddedRegoEngine e = engine("""
        package t
        all_signed if every s in input.sigs { s.ok }
        names := {n | some c in input.components; n := c.name}
        by_name := {c.name: c.version | some c in input.components}
        firsts := [x | some x in input.xs; x < 3]
        """);
    JsonNode in = json("{\"sigs\":[{\"ok\":true},{\"ok\":true}],\"components\":[{\"name\":\"a\",\"version\":\"1\"},{\"name\":\"b\",\"version\":\"2\"}],\"xs\":[1,5,2]}");
    assertEquals(json("{\"all_signed\":true,\"by_name\":{\"a\":\"1\",\"b\":\"2\"},\"firsts\":[1,2],\"names\":[\"a\",\"b\"]}"),
        e.evaluate("t", in).orElseThrow());
  }

  @Test
  void stepBudgetStopsRunawayEvaluation() throws Exception {
    EmbeddedRegoEngine e = EmbeddedRegoEngine.fromSources(Map.of("p.rego", """
        package t
        n := count([x | some a in numbers.range(1, 2000); some b in numbers.range(1, 2000); x := a * b])
        """), null, new EvaluationLimits(100_000, Duration.ofSeconds(30)));
    PolicyException ex = assertThrows(PolicyException.class, () -> e.evaluate("t/n", null));
    assertEquals("eval_cancel_error", ex.code());
  }

  @Test
  void timeBudgetStopsRunawayEvaluation() throws Exception {
    EmbeddedRegoEngine e = EmbeddedRegoEngine.fromSources(Map.of("p.rego", """
        package t
        n := count([x | some a in numbers.range(1, 5000); some b in numbers.range(1, 5000); x := a * b])
        """), null, new EvaluationLimits(Long.MAX_VALUE, Duration.ofMillis(200)));
    long start = System.nanoTime();
    PolicyException ex = assertThrows(PolicyException.class, () -> e.evaluate("t/n", null));
    assertEquals("eval_cancel_error", ex.code());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
  }

  @Test
  void oneCompiledPolicyServesManyThreads() throws Exception {
    EmbeddedRegoEngine e = engine("""
        package t
        import rego.v1
        allowed contains r if { some r in input.repos; startswith(r, "ok/") }
        total := count(allowed)
        """);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i % 7;
        futures.add(pool.submit(() -> {
          StringBuilder repos = new StringBuilder("[");
          for (int j = 0; j < n; j++) repos.append(j > 0 ? "," : "").append("\"ok/").append(j).append("\",\"no/").append(j).append('"');
          repos.append(']');
          JsonNode r = e.evaluate("t/total", JSON.readTree("{\"repos\":" + repos + "}")).orElseThrow();
          return r.asInt() == n;
        }));
      }
      for (Future<Boolean> f : futures) assertTrue(f.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void strictBuiltinErrorsFailTheEvaluationWhenAskedFor() throws Exception {
    EmbeddedRegoEngine e = engine("package t\nn := to_number(input.v)\n");
    assertEquals(Optional.empty(), e.evaluate("t/n", json("{\"v\": \"x\"}")));
    PolicyException ex = assertThrows(PolicyException.class,
        () -> e.withOptions(true, line -> { }).evaluate("t/n", json("{\"v\": \"x\"}")));
    assertEquals("eval_builtin_error", ex.code());
    assertTrue(ex.getMessage().contains("to_number"), ex.getMessage());
  }

  @Test
  void printGoesToThePrinter() throws Exception {
    List<String> lines = new ArrayList<>();
    EmbeddedRegoEngine e = engine("package t\nallow if { print(\"user\", input.user, input.missing); true }\n")
        .withOptions(false, lines::add);
    e.evaluate("t/allow", json("{\"user\": \"ann\"}"));
    assertEquals(List.of("user ann <undefined>"), lines);
  }

  @Test
  void metadataAnnotationsAreAvailableToRules() throws Exception {
    EmbeddedRegoEngine e = engine("""
        # METADATA
        # description: admission rules
        package t

        # METADATA
        # title: Signed images only
        # authors:
        # - Jane Doe <jane@example.com>
        deny := rego.metadata.rule()

        chain := [c.path | some c in rego.metadata.chain()]
        """);
    assertEquals(json("{\"authors\":[{\"email\":\"jane@example.com\",\"name\":\"Jane Doe\"}],\"scope\":\"rule\",\"title\":\"Signed images only\"}"),
        e.evaluate("t/deny", null).orElseThrow());
    assertEquals(json("[[\"t\",\"chain\"],[\"t\"]]"), e.evaluate("t/chain", null).orElseThrow());
  }

  @Test
  void rulesIndexedOnInputConstantsDecideAsWithoutTheIndex() throws Exception {
    EmbeddedRegoEngine e = engine("""
        package t
        default decision := "none"
        decision := "pull" if { input.action == "pull"; input.user.name = "ann" }
        decision := "push" if { "push" == input.action }
        decision := "other" if { input.action != "pull"; input.action != "push" }
        kinds contains k if { input.artifact.kind == "image"; k := "runnable" }
        kinds contains k if { input.artifact.kind = "sbom"; k := "evidence" }
        """);
    assertEquals(json("\"pull\""), e.evaluate("t/decision", json("{\"action\":\"pull\",\"user\":{\"name\":\"ann\"}}")).orElseThrow());
    assertEquals(json("\"none\""), e.evaluate("t/decision", json("{\"action\":\"pull\",\"user\":{\"name\":\"bob\"}}")).orElseThrow());
    assertEquals(json("\"push\""), e.evaluate("t/decision", json("{\"action\":\"push\"}")).orElseThrow());
    assertEquals(json("\"other\""), e.evaluate("t/decision", json("{\"action\":\"delete\"}")).orElseThrow());
    assertEquals(json("\"none\""), e.evaluate("t/decision", null).orElseThrow());
    assertEquals(json("[\"evidence\"]"), e.evaluate("t/kinds", json("{\"artifact\":{\"kind\":\"sbom\"}}")).orElseThrow());
    assertEquals(json("[]"), e.evaluate("t/kinds", json("{\"artifact\":{\"kind\":\"other\"}}")).orElseThrow());
  }
}
