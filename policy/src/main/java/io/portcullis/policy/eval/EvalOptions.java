package io.portcullis.policy.eval;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Per-evaluation settings: strict builtin errors, the step budget and the time budget (both checked
 * before every expression), and where {@code print} output goes.
 */
public record EvalOptions(boolean strictBuiltinErrors, long maxSteps, Duration timeout, Consumer<String> printer) {
  public static final long DEFAULT_MAX_STEPS = 10_000_000L;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public static EvalOptions defaults() {
    return new EvalOptions(false, DEFAULT_MAX_STEPS, DEFAULT_TIMEOUT, line -> { });
  }

  public EvalOptions withStrict(boolean strict) { return new EvalOptions(strict, maxSteps, timeout, printer); }
  public EvalOptions withPrinter(Consumer<String> p) { return new EvalOptions(strictBuiltinErrors, maxSteps, timeout, p); }
  public EvalOptions withLimits(long steps, Duration t) { return new EvalOptions(strictBuiltinErrors, steps, t, printer); }
}
