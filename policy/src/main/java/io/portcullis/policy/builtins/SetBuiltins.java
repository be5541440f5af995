package io.portcullis.policy.builtins;

import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.Value;
import java.util.TreeSet;

/** and (&amp;), or (|), intersection, union. Set difference is {@code minus} in NumberBuiltins. */
final class SetBuiltins {
  private SetBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("and", 2, (ctx, a) -> {
      TreeSet<Value> out = new TreeSet<>(Operands.set("and", a, 0).members());
      out.retainAll(Operands.set("and", a, 1).members());
      return SetValue.of(out);
    });
    b.add("or", 2, (ctx, a) -> {
      TreeSet<Value> out = new TreeSet<>(Operands.set("or", a, 0).members());
      out.addAll(Operands.set("or", a, 1).members());
      return SetValue.of(out);
    });
    b.add("intersection", 1, (ctx, a) -> {
      SetValue sets = Operands.set("intersection", a, 0);
      TreeSet<Value> out = null;
      for (Value v : sets.members()) {
        if (!(v instanceof SetValue s)) {
          throw BuiltinException.operandType("intersection", 1, "set of sets", "set containing " + v.typeName());
        }
        if (out == null) out = new TreeSet<>(s.members());
        else out.retainAll(s.members());
      }
      return out == null ? SetValue.EMPTY : SetValue.of(out);
    });
    b.add("union", 1, (ctx, a) -> {
      SetValue sets = Operands.set("union", a, 0);
      TreeSet<Value> out = new TreeSet<>();
      for (Value v : sets.members()) {
        if (!(v instanceof SetValue s)) {
          throw BuiltinException.operandType("union", 1, "set of sets", "set containing " + v.typeName());
        }
        out.addAll(s.members());
      }
      return SetValue.of(out);
    });
  }
}
