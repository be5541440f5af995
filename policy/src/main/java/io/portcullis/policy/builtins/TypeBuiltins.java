package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;

/** is_number, is_string, ..., type_name. */
final class TypeBuiltins {
  private TypeBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("is_number", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof NumberValue));
    b.add("is_string", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof StringValue));
    b.add("is_boolean", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof BooleanValue));
    b.add("is_array", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof ArrayValue));
    b.add("is_set", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof SetValue));
    b.add("is_object", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof ObjectValue));
    b.add("is_null", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof NullValue));
    b.add("type_name", 1, (ctx, a) -> new StringValue(a.get(0).typeName()));
  }
}
