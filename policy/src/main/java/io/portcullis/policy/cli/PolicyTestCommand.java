package io.portcullis.policy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below. */
@Command(name = "test")
final class PolicyTestCommand implements Callable<Integer> {
  @Override public Integer call() { return 0; }
}
