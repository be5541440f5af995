package io.portcullis.policy.builtins;

import io.portcullis.policy.value.NumberValue;
import java.math.BigInteger;

/** bits.and, bits.or, bits.xor, bits.negate, bits.lsh, bits.rsh on integers of any size. */
final class BitsBuiltins {
  private BitsBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("bits.and", 2, (ctx, a) -> NumberValue.of(Operands.integer("bits.and", a, 0).and(Operands.integer("bits.and", a, 1))));
    b.add("bits.or", 2, (ctx, a) -> NumberValue.of(Operands.integer("bits.or", a, 0).or(Operands.integer("bits.or", a, 1))));
    b.add("bits.xor", 2, (ctx, a) -> NumberValue.of(Operands.integer("bits.xor", a, 0).xor(Operands.integer("bits.xor", a, 1))));
    b.add("bits.negate", 1, (ctx, a) -> NumberValue.of(Operands.integer("bits.negate", a, 0).not()));
    b.add("bits.lsh", 2, (ctx, a) -> NumberValue.of(Operands.integer("bits.lsh", a, 0).shiftLeft(shift("bits.lsh", Operands.integer("bits.lsh", a, 1)))));
    b.add("bits.rsh", 2, (ctx, a) -> NumberValue.of(Operands.integer("bits.rsh", a, 0).shiftRight(shift("bits.rsh", Operands.integer("bits.rsh", a, 1)))));
  }

  private static int shift(String fn, BigInteger n) throws BuiltinException {
    if (n.signum() < 0) throw BuiltinException.operandType(fn, 2, "an unsigned integer number", "a negative integer");
    if (n.bitLength() > 20) throw BuiltinException.failure(fn, "shift too large");
    return n.intValue();
  }
}
