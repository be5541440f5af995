package io.portcullis.policy.builtins;

/** Lists the topic classes that make up the standard builtin set. */
final class StandardBuiltins {
  private StandardBuiltins() {}

  static void registerAll(BuiltinRegistry.Builder b) {
    ComparisonBuiltins.register(b);
    NumberBuiltins.register(b);
    AggregateBuiltins.register(b);
    ArrayBuiltins.register(b);
    SetBuiltins.register(b);
    ObjectBuiltins.register(b);
    TypeBuiltins.register(b);
    ConversionBuiltins.register(b);
    StringBuiltins.register(b);
    RegexBuiltins.register(b);
    GlobBuiltins.register(b);
    EncodingBuiltins.register(b);
    TimeBuiltins.register(b);
    UnitsBuiltins.register(b);
    SemverBuiltins.register(b);
    NetBuiltins.register(b);
    CryptoBuiltins.register(b);
    GraphBuiltins.register(b);
    UuidBuiltins.register(b);
    RandBuiltins.register(b);
    BitsBuiltins.register(b);
    TokenBuiltins.register(b);
    ProviderBuiltins.register(b);
    GraphQlBuiltins.register(b);
  }
}
