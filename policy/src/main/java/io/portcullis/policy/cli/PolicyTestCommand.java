package io.portcullis.policy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.policy.EmbeddedRegoEngine;
import io.portcullis.policy.EvaluationLimits;
import io.portcullis.policy.PolicyException;
import io.portcullis.policy.ast.Module;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy test DIR...}: runs {@code test_*} rules of {@code *_test.rego} files like {@code opa test}. */
@Command(name = "test", description = "Run test_* rules in *_test.rego files; exit 0 only when all pass.")
final class PolicyTestCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "DIR", description = "directories or files with policies, tests and data")
  List<Path> paths;

  @Option(names = {"-v", "--verbose"}, description = "print every test, not only failures")
  boolean verbose;

  @Override
  public Integer call() {
    EmbeddedRegoEngine engine;
    try {
      engine = EmbeddedRegoEngine.load(paths, new EvaluationLimits(50_000_000L, Duration.ofSeconds(10)));
    } catch (PolicyException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    int passed = 0;
    int failed = 0;
    int errors = 0;
    for (Module m : engine.modules()) {
      if (!m.file().endsWith("_test.rego")) continue;
      List<String> tests = EmbeddedRegoEngine.testRuleNames(m);
      if (tests.isEmpty()) continue;
      System.out.println(m.file() + ":");
      for (String t : tests) {
        String path = String.join(".", m.packagePath()) + "." + t;
        long start = System.nanoTime();
        String status;
        String detail = "";
        try {
          Optional<JsonNode> r = engine.evaluate(path, null);
          boolean ok = r.isPresent() && !(r.get().isBoolean() && !r.get().booleanValue());
          status = ok ? "PASS" : "FAIL";
          if (ok) passed++; else failed++;
        } catch (PolicyException e) {
          status = "ERROR";
          detail = "\n  " + e.getMessage();
          errors++;
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (verbose || !status.equals("PASS")) {
          System.out.printf("data.%s: %s (%.3fms)%s%n", path, status, ms, detail);
        }
      }
    }
    int total = passed + failed + errors;
    System.out.println("-".repeat(80));
    if (failed == 0 && errors == 0) {
      System.out.println("PASS: " + passed + "/" + total);
      return 0;
    }
    if (passed > 0) System.out.println("PASS: " + passed + "/" + total);
    if (failed > 0) System.out.println("FAIL: " + failed + "/" + total);
    if (errors > 0) System.out.println("ERROR: " + errors + "/" + total);
    return 2;
  }
}
