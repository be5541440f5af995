package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** count, sum, product, max, min, sort, all, any. */
final class AggregateBuiltins {
  private AggregateBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("count", 1, (ctx, a) -> {
      Value v = a.get(0);
      if (v instanceof ArrayValue x) return NumberValue.of(x.size());
      if (v instanceof ObjectValue x) return NumberValue.of(x.size());
      if (v instanceof SetValue x) return NumberValue.of(x.size());
      if (v instanceof StringValue x) return NumberValue.of(x.value().codePointCount(0, x.value().length()));
      throw Operands.typeError("count", 0, v, "array", "object", "set", "string");
    });
    b.add("sum", 1, (ctx, a) -> {
      List<BigDecimal> items = numbers("sum", a.get(0));
      if (allIntegers(items)) {
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal d : items) total = total.add(d);
        return Operands.num(total);
      }
      BigFloat64 total = BigFloat64.ZERO;
      for (BigDecimal d : items) total = total.add(BigFloat64.of(d));
      return Operands.num(total.shortest());
    });
    b.add("product", 1, (ctx, a) -> {
      List<BigDecimal> items = numbers("product", a.get(0));
      if (allIntegers(items)) {
        BigDecimal total = BigDecimal.ONE;
        for (BigDecimal d : items) total = total.multiply(d);
        return Operands.num(total);
      }
      BigFloat64 total = BigFloat64.of(BigDecimal.ONE);
      for (BigDecimal d : items) total = total.multiply(BigFloat64.of(d));
      return Operands.num(total.shortest());
    });
    b.add("max", 1, (ctx, a) -> {
      Value best = null;
      for (Value v : collection("max", a.get(0))) if (best == null || v.compareTo(best) > 0) best = v;
      return best;
    });
    b.add("min", 1, (ctx, a) -> {
      Value best = null;
      for (Value v : collection("min", a.get(0))) if (best == null || v.compareTo(best) < 0) best = v;
      return best;
    });
    b.add("sort", 1, (ctx, a) -> {
      List<Value> items = new ArrayList<>(collection("sort", a.get(0)));
      items.sort(null);
      return new ArrayValue(items);
    });
    b.add("all", 1, (ctx, a) -> {
      for (Value v : anyOrAll("all", a.get(0))) if (v != BooleanValue.TRUE) return BooleanValue.FALSE;
      return BooleanValue.TRUE;
    });
    b.add("any", 1, (ctx, a) -> {
      for (Value v : anyOrAll("any", a.get(0))) if (v == BooleanValue.TRUE) return BooleanValue.TRUE;
      return BooleanValue.FALSE;
    });
  }

  private static List<Value> collection(String fn, Value v) throws BuiltinException {
    if (v instanceof ArrayValue x) return x.elements();
    if (v instanceof SetValue x) return new ArrayList<>(x.members());
    throw Operands.typeError(fn, 0, v, "set", "array");
  }

  /** OPA accumulates exactly on integers and in 64-bit big.Float otherwise. */
  private static boolean allIntegers(List<BigDecimal> items) {
    for (BigDecimal d : items) if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) return false;
    return true;
  }

  private static List<Value> anyOrAll(String fn, Value v) throws BuiltinException {
    if (v instanceof ArrayValue x) return x.elements();
    if (v instanceof SetValue x) return new ArrayList<>(x.members());
    throw Operands.typeError(fn, 0, v, "array", "set");
  }

  private static List<BigDecimal> numbers(String fn, Value v) throws BuiltinException {
    List<Value> items = collection(fn, v);
    List<BigDecimal> out = new ArrayList<>(items.size());
    for (Value item : items) {
      if (!(item instanceof NumberValue n)) {
        throw BuiltinException.operandType(fn, 1, v.typeName() + " of numbers", v.typeName() + " containing " + item.typeName());
      }
      out.add(n.bigDecimal());
    }
    return out;
  }
}
