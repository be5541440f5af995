package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.decimal;
import static io.portcullis.policy.builtins.Operands.num;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Arithmetic (plus, minus, mul, div, rem), abs, round, ceil, floor, numbers.range(_step). */
final class NumberBuiltins {
  private NumberBuiltins() {}

  /** Largest range OPA-compatible callers may build; beyond it the call is an error, not an OOM. */
  private static final int MAX_RANGE = 10_000_000;

  static void register(BuiltinRegistry.Builder b) {
    b.add("plus", 2, (ctx, a) -> {
      NumberValue x = Operands.number("plus", a, 0);
      NumberValue y = Operands.number("plus", a, 1);
      if (x.isInteger() && y.isInteger()) return num(x.bigDecimal().add(y.bigDecimal()));
      return num(BigFloat64.of(x.bigDecimal()).add(BigFloat64.of(y.bigDecimal())).shortest());
    });
    b.add("mul", 2, (ctx, a) -> {
      NumberValue x = Operands.number("mul", a, 0);
      NumberValue y = Operands.number("mul", a, 1);
      if (x.isInteger() && y.isInteger()) return num(x.bigDecimal().multiply(y.bigDecimal()));
      return num(BigFloat64.of(x.bigDecimal()).multiply(BigFloat64.of(y.bigDecimal())).shortest());
    });
    b.add("minus", 2, NumberBuiltins::minus);
    b.add("div", 2, NumberBuiltins::div);
    b.add("rem", 2, NumberBuiltins::rem);
    b.add("abs", 1, (ctx, a) -> {
      NumberValue x = Operands.number("abs", a, 0);
      if (x.isInteger()) return num(x.bigDecimal().abs());
      return num(BigFloat64.of(x.bigDecimal().abs()).shortest());
    });
    b.add("round", 1, (ctx, a) -> num(decimal("round", a, 0).setScale(0, RoundingMode.HALF_UP)));
    b.add("ceil", 1, (ctx, a) -> num(decimal("ceil", a, 0).setScale(0, RoundingMode.CEILING)));
    b.add("floor", 1, (ctx, a) -> num(decimal("floor", a, 0).setScale(0, RoundingMode.FLOOR)));
    b.add("numbers.range", 2, (ctx, a) -> {
      BigInteger from = Operands.integer("numbers.range", a, 0);
      BigInteger to = Operands.integer("numbers.range", a, 1);
      return range("numbers.range", from, to, BigInteger.ONE);
    });
    b.add("numbers.range_step", 3, (ctx, a) -> {
      BigInteger from = Operands.integer("numbers.range_step", a, 0);
      BigInteger to = Operands.integer("numbers.range_step", a, 1);
      BigInteger step = Operands.integer("numbers.range_step", a, 2);
      if (step.signum() <= 0) throw BuiltinException.failure("numbers.range_step", "step must be a positive integer");
      return range("numbers.range_step", from, to, step);
    });
  }

  private static Value minus(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    Value x = a.get(0);
    Value y = a.get(1);
    if (x instanceof NumberValue n1 && y instanceof NumberValue n2) {
      if (n1.isInteger() && n2.isInteger()) return num(n1.bigDecimal().subtract(n2.bigDecimal()));
      return num(BigFloat64.of(n1.bigDecimal()).add(BigFloat64.of(n2.bigDecimal()).negate()).shortest());
    }
    if (x instanceof SetValue s1 && y instanceof SetValue s2) {
      TreeSet<Value> out = new TreeSet<>(s1.members());
      out.removeAll(s2.members());
      return SetValue.of(out);
    }
    if (!(x instanceof NumberValue) && !(x instanceof SetValue)) throw Operands.typeError("minus", 0, x, "number", "set");
    if (y instanceof NumberValue) throw Operands.typeError("minus", 1, y, "set");
    throw Operands.typeError("minus", 1, y, "number");
  }

  private static Value div(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    BigDecimal x = decimal("div", a, 0);
    BigDecimal y = decimal("div", a, 1);
    if (y.signum() == 0) throw BuiltinException.failure("div", "divide by zero");
    // exact when an integer divides an integer; otherwise Go's 64-bit big.Float quotient
    NumberValue nx = Operands.number("div", a, 0);
    NumberValue ny = Operands.number("div", a, 1);
    if (nx.isInteger() && ny.isInteger()) {
      BigInteger[] qr = x.toBigIntegerExact().divideAndRemainder(y.toBigIntegerExact());
      if (qr[1].signum() == 0) return NumberValue.of(qr[0]);
    }
    return num(BigFloat64.of(x).divide(BigFloat64.of(y)).shortest());
  }

  private static Value rem(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    NumberValue x = Operands.number("rem", a, 0);
    NumberValue y = Operands.number("rem", a, 1);
    if (!x.isInteger() || !y.isInteger()) throw BuiltinException.failure("rem", "modulo on floating-point number");
    BigInteger d = y.bigDecimal().toBigIntegerExact();
    if (d.signum() == 0) throw BuiltinException.failure("rem", "modulo by zero");
    return NumberValue.of(x.bigDecimal().toBigIntegerExact().remainder(d));
  }

  private static Value range(String fn, BigInteger from, BigInteger to, BigInteger step) throws BuiltinException {
    BigInteger span = to.subtract(from).abs().divide(step);
    if (span.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) throw BuiltinException.failure(fn, "range too large");
    List<Value> out = new ArrayList<>(span.intValue() + 1);
    if (from.compareTo(to) <= 0) {
      for (BigInteger i = from; i.compareTo(to) <= 0; i = i.add(step)) out.add(NumberValue.of(i));
    } else {
      for (BigInteger i = from; i.compareTo(to) >= 0; i = i.subtract(step)) out.add(NumberValue.of(i));
    }
    return new ArrayValue(out);
  }
}
