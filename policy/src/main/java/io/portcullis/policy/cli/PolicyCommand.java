package io.portcullis.policy.cli;

import picocli.CommandLine.Command;

/** {@code portcullis policy ...}: run conformance cases, evaluate queries, run policy unit tests. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Work with Rego policies: evaluate queries, run *_test.rego tests, run OPA conformance cases.",
    subcommands = {TestCasesCommand.class, EvalCommand.class, PolicyTestCommand.class})
public final class PolicyCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  /** Runs the policy command on its own (used by tests and during development). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new PolicyCommand()).execute(args));
  }
}
