package io.portcullis.policy.builtins;

import io.portcullis.policy.value.NumberValue;
import java.math.BigInteger;

/** rand.intn (random, cached per query by the evaluator). */
final class RandBuiltins {
  private RandBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add(new Builtin("rand.intn", 2, true, (ctx, a) -> {
      Operands.string("rand.intn", a, 0);
      BigInteger n = Operands.integer("rand.intn", a, 1).abs();
      if (n.signum() == 0) return NumberValue.of(0);
      if (n.bitLength() > 62) n = BigInteger.valueOf(Long.MAX_VALUE);
      long bound = n.longValue();
      long r = Math.floorMod(ctx.random().nextLong(), bound);
      return NumberValue.of(r);
    }));
  }
}
