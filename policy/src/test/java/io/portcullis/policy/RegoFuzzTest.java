package io.portcullis.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.portcullis.policy.ast.Module;
import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.compiler.CompileException;
import io.portcullis.policy.compiler.Compiler;
import io.portcullis.policy.lexer.RegoSyntaxException;
import io.portcullis.policy.parser.Parser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Rego source comes from policy bundles (a watched directory) and from queries typed at the command line.
 * Whatever the text, the lexer and parser return a module or throw {@link RegoSyntaxException} saying
 * {@code file:row:col: rego_parse_error: ...}; the compiler returns a policy or throws
 * {@link CompileException} listing its errors; loading and evaluating through {@link EmbeddedRegoEngine}
 * returns a result or throws {@link PolicyException}, within its step and time budget.
 *
 * <p>{@code ./mvnw test} replays the committed inputs under
 * {@code src/test/resources/io/portcullis/policy/RegoFuzzTestInputs/<method>/}.
 */
class RegoFuzzTest {
  private static final String FILE = "fuzz.rego";
  /** A small budget: evaluation of arbitrary rules must stop by itself, as it does for a real bundle. */
  private static final EvaluationLimits LIMITS = new EvaluationLimits(20_000, Duration.ofSeconds(1));

  @FuzzTest(maxDuration = "2m")
  void parseModule(byte[] input) {
    parsedOrNull(input);
  }

  /** The fuzzed source as a module, or null after checking that its syntax error says where. */
  private static Module parsedOrNull(byte[] input) {
    String source = new String(input, StandardCharsets.UTF_8);
    Module module;
    try {
      module = Parser.parseModule(FILE, source);
    } catch (RegoSyntaxException e) {
      assertSyntaxError(e, FILE);
      return null;
    }
    assertNotNull(module);
    return module;
  }

  @FuzzTest(maxDuration = "1m")
  void parseQuery(byte[] input) {
    String source = new String(input, StandardCharsets.UTF_8);
    try {
      assertNotNull(Parser.parseQuery(source));
    } catch (RegoSyntaxException e) {
      assertSyntaxError(e, null);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void compileModule(byte[] input) {
    Module module = parsedOrNull(input);
    if (module == null) return;
    try {
      assertNotNull(new Compiler(BuiltinRegistry.standard()).compile(List.of(module)));
    } catch (CompileException e) {
      assertFalse(e.errors().isEmpty());
      assertNotNull(e.getMessage());
    }
  }

  /** Compiles a fuzzed module and evaluates all of {@code data} with a fuzzed input under a small budget. */
  @FuzzTest(maxDuration = "2m")
  void evaluateModule(FuzzedDataProvider data) {
    String inputJson = data.consumeString(200);
    String source = data.consumeRemainingAsString();
    EmbeddedRegoEngine engine;
    try {
      engine = EmbeddedRegoEngine.fromSources(Map.of(FILE, source), null, LIMITS);
    } catch (PolicyException e) {
      assertTrue(e.code().startsWith("rego_"), e.code());
      return;
    }
    com.fasterxml.jackson.databind.JsonNode input;
    try {
      input = JsonInputFuzzTest.EXACT_JSON.readTree(inputJson);
    } catch (java.io.IOException | NumberFormatException e) {
      input = null;
    }
    try {
      engine.evaluate("", input);
    } catch (PolicyException e) {
      assertNotNull(e.code());
    }
  }

  private static void assertSyntaxError(RegoSyntaxException e, String file) {
    assertNotNull(e.location());
    assertEquals(file, e.location().file());
    assertTrue(e.location().row() >= 1 && e.location().col() >= 1, e.location().full());
    assertTrue(e.getMessage().startsWith(e.location().full() + ": rego_parse_error: "), e.getMessage());
  }
}
