package io.portcullis.policy.builtins;

import java.time.Instant;
import java.util.Random;

/** What a builtin may ask of the evaluation it runs in. Implemented by the evaluator. */
public interface BuiltinContext {
  /** The time the query started; constant for the whole query ({@code time.now_ns}). */
  Instant queryStartTime();

  /** A source of randomness for {@code rand.intn} and {@code uuid.*}. */
  Random random();

  /** Receives the output of {@code print}: one line per call. */
  void print(String line);
}
