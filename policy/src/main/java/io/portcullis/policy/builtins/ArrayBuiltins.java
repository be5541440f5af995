package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** array.concat, array.slice, array.reverse, array.flatten. */
final class ArrayBuiltins {
  private ArrayBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("array.concat", 2, (ctx, a) -> {
      ArrayValue x = Operands.array("array.concat", a, 0);
      ArrayValue y = Operands.array("array.concat", a, 1);
      List<Value> out = new ArrayList<>(x.elements());
      out.addAll(y.elements());
      return new ArrayValue(out);
    });
    b.add("array.slice", 3, (ctx, a) -> {
      ArrayValue x = Operands.array("array.slice", a, 0);
      int start = clamp(Operands.integer("array.slice", a, 1), x.size());
      int stop = clamp(Operands.integer("array.slice", a, 2), x.size());
      if (start >= stop) return ArrayValue.EMPTY;
      return new ArrayValue(x.elements().subList(start, stop));
    });
    b.add("array.reverse", 1, (ctx, a) -> {
      List<Value> out = new ArrayList<>(Operands.array("array.reverse", a, 0).elements());
      Collections.reverse(out);
      return new ArrayValue(out);
    });
    b.add("array.flatten", 1, (ctx, a) -> {
      List<Value> out = new ArrayList<>();
      for (Value v : Operands.array("array.flatten", a, 0).elements()) {
        if (v instanceof ArrayValue inner) out.addAll(inner.elements());
        else out.add(v);
      }
      return new ArrayValue(out);
    });
  }

  private static int clamp(BigInteger i, int size) {
    if (i.signum() < 0) return 0;
    if (i.compareTo(BigInteger.valueOf(size)) > 0) return size;
    return i.intValue();
  }

}
