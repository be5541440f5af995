package io.portcullis.policy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new PolicyCommand()).execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void evalPrintsOpaResultJson(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("p.rego"), "package t\n\nrepos := [\"a\", \"b\"]\n");
    Files.writeString(dir.resolve("input.json"), "{\"n\": 2}");
    Run r = run("eval", "-d", dir.toString(), "-i", dir.resolve("input.json").toString(), "x := data.t.repos[i]; i < input.n");
    assertEquals(0, r.exit(), r.err());
    JsonNode result = new ObjectMapper().readTree(r.out()).get("result");
    assertEquals(2, result.size());
    assertEquals("a", result.get(0).get("bindings").get("x").asText());
    assertEquals(0, result.get(0).get("bindings").get("i").asInt());
    JsonNode expr = result.get(0).get("expressions").get(1);
    assertEquals("i < input.n", expr.get("text").asText());
    assertTrue(expr.get("value").asBoolean());
    assertEquals(1, expr.get("location").get("row").asInt());
  }

  @Test
  void evalReportsErrorsOnStderrWithNonZeroExit(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("p.rego"), "package t\n\np := http.send({})\n");
    Run r = run("eval", "-d", dir.toString(), "data.t.p");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("p.rego:3:6: rego_compile_error: undefined function http.send"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void testRunsTestRules(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("p.rego"), "package t\n\nallow if input.user == \"admin\"\n");
    Files.writeString(dir.resolve("p_test.rego"), """
        package t_test

        test_admin_allowed if data.t.allow with input as {"user": "admin"}
        test_guest_denied if not data.t.allow with input as {"user": "guest"}
        """);
    Run ok = run("test", dir.toString());
    assertEquals(0, ok.exit(), ok.out());
    assertTrue(ok.out().contains("PASS: 2/2"), ok.out());

    Files.writeString(dir.resolve("q_test.rego"), "package q_test\n\ntest_wrong if data.t.allow with input as {\"user\": \"guest\"}\n");
    Run bad = run("test", dir.toString());
    assertNotEquals(0, bad.exit());
    assertTrue(bad.out().contains("data.q_test.test_wrong: FAIL"), bad.out());
    assertTrue(bad.out().contains("FAIL: 1/3"), bad.out());
  }

  @Test
  void testCasesEndsWithTheSummaryLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("cases.yaml"), """
        cases:
          - note: "good"
            query: "data.t.p = x"
            modules:
              - |
                package t
                p := 1 + 1
            want_result:
              - x: 2
          - note: "bad"
            query: "data.t.p = x"
            modules:
              - |
                package t
                p := 3
            want_result:
              - x: 2
          - note: "error"
            query: "x = 1 / 0"
            strict_error: true
            want_error_code: "eval_builtin_error"
            want_error: "divide by zero"
        """);
    Run r = run("test-cases", dir.toString());
    assertEquals(1, r.exit());
    String[] lines = r.out().strip().split("\n");
    assertEquals("2 passed, 1 failed, 0 skipped", lines[lines.length - 1]);
    assertTrue(r.out().contains("FAIL cases.yaml #1: bad"), r.out());
  }
}
