package io.portcullis.gateway.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.policy.cli.PolicyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The default bundle in policies.rego/: its own Rego tests pass, and the built-in copy is complete. */
class PolicyBundleFilesTest {
  @Test
  void theDefaultBundlesRegoTestsPass() {
    Path bundle = GateModesTest.repoRoot().resolve("policies.rego");
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new PolicyCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit = cli.execute("test", bundle.toString());
    assertEquals(0, exit, "portcullis policy test policies.rego/ failed:\n" + out);
  }

  @Test
  void everyBundleFileIsBuiltIn() throws Exception {
    Set<String> inRepository = new TreeSet<>();
    try (Stream<Path> files = Files.list(GateModesTest.repoRoot().resolve("policies.rego"))) {
      files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith("_test.rego")).forEach(inRepository::add);
    }
    assertEquals(inRepository, new TreeSet<>(PolicyBundle.BUILT_IN_FILES), "update PolicyBundle.BUILT_IN_FILES");
  }
}
