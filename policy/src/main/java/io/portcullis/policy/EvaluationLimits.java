package io.portcullis.policy;

import java.time.Duration;

/** Budgets for one evaluation: expression steps and wall-clock time. Hitting either is an error (fail closed). */
public record EvaluationLimits(long maxSteps, Duration timeout) {
  public EvaluationLimits {
    if (maxSteps <= 0) throw new IllegalArgumentException("maxSteps must be positive");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
  }

  /** 50 million steps and 2 seconds: the time budget is the binding limit for real policies. */
  public static EvaluationLimits defaults() { return new EvaluationLimits(50_000_000L, Duration.ofSeconds(2)); }
}
