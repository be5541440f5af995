package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the operands of a builtin call. Each accessor takes the builtin name and the
 * 0-based argument index and throws OPA's operand type error (1-based position) on a mismatch.
 */
final class Operands {
  private Operands() {}

  /** {@code "<fn>: operand <pos> must be <expected> but got <type>"}, or "one of {...}" for several. */
  static BuiltinException typeError(String fn, int index, Value got, String... expected) {
    String want = expected.length == 1 ? expected[0] : "one of {" + String.join(", ", expected) + "}";
    return BuiltinException.operandType(fn, index + 1, want, got.typeName());
  }

  /** {@code "<fn>: operand <pos> <message>"} as an operand (type) error. */
  static BuiltinException operandError(String fn, int index, String message) {
    return new BuiltinException(BuiltinException.Kind.TYPE, fn + ": operand " + (index + 1) + " " + message);
  }

  static String string(String fn, List<Value> args, int i) throws BuiltinException {
    if (args.get(i) instanceof StringValue s) return s.value();
    throw typeError(fn, i, args.get(i), "string");
  }

  static NumberValue number(String fn, List<Value> args, int i) throws BuiltinException {
    if (args.get(i) instanceof NumberValue n) return n;
    throw typeError(fn, i, args.get(i), "number");
  }

  static BigDecimal decimal(String fn, List<Value> args, int i) throws BuiltinException {
    return number(fn, args, i).bigDecimal();
  }

  /** An integer operand: "operand N must be integer number but got floating-point number". */
  static BigInteger integer(String fn, List<Value> args, int i) throws BuiltinException {
    NumberValue n = number(fn, args, i);
    if (!n.isInteger()) {
      throw BuiltinException.operandType(fn, i + 1, "integer number", "floating-point number");
    }
    return n.bigDecimal().toBigIntegerExact();
  }

  /** An integer operand that must fit an int; larger values are a builtin error. */
  static int smallInt(String fn, List<Value> args, int i) throws BuiltinException {
    BigInteger b = integer(fn, args, i);
    if (b.bitLength() > 31) throw BuiltinException.failure(fn, "operand " + (i + 1) + " out of range");
    return b.intValue();
  }

  static boolean bool(String fn, List<Value> args, int i) throws BuiltinException {
    if (args.get(i) instanceof BooleanValue b) return b.value();
    throw typeError(fn, i, args.get(i), "boolean");
  }

  static ArrayValue array(String fn, List<Value> args, int i) throws BuiltinException {
    if (args.get(i) instanceof ArrayValue a) return a;
    throw typeError(fn, i, args.get(i), "array");
  }

  static ObjectValue object(String fn, List<Value> args, int i) throws BuiltinException {
    if (args.get(i) instanceof ObjectValue o) return o;
    throw typeError(fn, i, args.get(i), "object");
  }

  static SetValue set(String fn, List<Value> args, int i) throws BuiltinException {
    if (args.get(i) instanceof SetValue s) return s;
    throw typeError(fn, i, args.get(i), "set");
  }

  /** The elements of an array or set operand. */
  static List<Value> arrayOrSet(String fn, List<Value> args, int i) throws BuiltinException {
    Value v = args.get(i);
    if (v instanceof ArrayValue a) return a.elements();
    if (v instanceof SetValue s) return new ArrayList<>(s.members());
    throw typeError(fn, i, v, "array", "set");
  }

  /**
   * The strings of a string, array-of-strings or set-of-strings operand, as used by
   * {@code strings.any_prefix_match}: "one of {string, set, array}" and "array of strings but got
   * array containing number".
   */
  static List<String> stringOrCollection(String fn, List<Value> args, int i) throws BuiltinException {
    Value v = args.get(i);
    if (v instanceof StringValue s) return List.of(s.value());
    if (v instanceof ArrayValue a) return strings(fn, i, a.elements(), "array");
    if (v instanceof SetValue s) return strings(fn, i, new ArrayList<>(s.members()), "set");
    throw typeError(fn, i, v, "string", "set", "array");
  }

  /** The strings of an array or set operand ("one of {array, set}"). */
  static List<String> stringCollection(String fn, List<Value> args, int i) throws BuiltinException {
    Value v = args.get(i);
    if (v instanceof ArrayValue a) return strings(fn, i, a.elements(), "array");
    if (v instanceof SetValue s) return strings(fn, i, new ArrayList<>(s.members()), "set");
    throw typeError(fn, i, v, "set", "array");
  }

  private static List<String> strings(String fn, int i, List<Value> values, String composite) throws BuiltinException {
    List<String> out = new ArrayList<>(values.size());
    for (Value e : values) {
      if (!(e instanceof StringValue s)) {
        throw BuiltinException.operandType(fn, i + 1, composite + " of strings", composite + " containing " + e.typeName());
      }
      out.add(s.value());
    }
    return out;
  }

  static StringValue str(String s) { return new StringValue(s); }

  static NumberValue num(long n) { return NumberValue.of(n); }

  /** A number result from an exact decimal, with integers normalised to scale 0. */
  static NumberValue num(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    if (s.scale() < 0) s = s.setScale(0);
    return NumberValue.of(s);
  }
}
