package io.portcullis.policy.cli;

import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.conformance.CaseOutcome;
import io.portcullis.policy.conformance.ConformanceRunner;
import io.portcullis.policy.conformance.SkipList;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code policy test-cases DIR}: runs OPA conformance case files and prints failures and a summary line. */
@Command(name = "test-cases", description = "Run OPA conformance case files (YAML) under DIR.")
final class TestCasesCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "directory of case files")
  Path dir;

  @Override
  public Integer call() throws Exception {
    ConformanceRunner runner = new ConformanceRunner(BuiltinRegistry.standard(), SkipList.standard());
    List<CaseOutcome> outcomes = runner.runAll(dir, System.out);
    boolean anyFailed = outcomes.stream().anyMatch(o -> o.status() == CaseOutcome.Status.FAILED);
    return anyFailed ? 1 : 0;
  }
}
