package io.portcullis.policy.builtins;

/** Lists the topic classes that make up the standard builtin set. */
final class StandardBuiltins {
  private StandardBuiltins() {}

  static void registerAll(BuiltinRegistry.Builder b) {
    // Each topic class adds its builtins here, e.g. StringBuiltins.register(b);
  }
}
