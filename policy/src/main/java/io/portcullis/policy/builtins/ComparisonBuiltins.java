package io.portcullis.policy.builtins;

import io.portcullis.policy.value.BooleanValue;

/** equal, neq, lt, lte, gt, gte over OPA's total order of values. */
final class ComparisonBuiltins {
  private ComparisonBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("equal", 2, (ctx, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) == 0));
    b.add("neq", 2, (ctx, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) != 0));
    b.add("lt", 2, (ctx, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) < 0));
    b.add("lte", 2, (ctx, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) <= 0));
    b.add("gt", 2, (ctx, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) > 0));
    b.add("gte", 2, (ctx, a) -> BooleanValue.of(a.get(0).compareTo(a.get(1)) >= 0));
  }
}
