package io.portcullis.policy.builtins;

import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** to_number. */
final class ConversionBuiltins {
  private ConversionBuiltins() {}

  /** Go's strconv.ParseFloat syntax for finite decimal numbers (plus hex integers via 0x). */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

  static void register(BuiltinRegistry.Builder b) {
    b.add("to_number", 1, (ctx, a) -> {
      Value v = a.get(0);
      if (v instanceof NullValue) return NumberValue.of(0);
      if (v instanceof BooleanValue bv) return NumberValue.of(bv.value() ? 1 : 0);
      if (v instanceof NumberValue) return v;
      if (v instanceof StringValue s) return parse(s.value());
      throw Operands.typeError("to_number", 0, v, "null", "boolean", "number", "string");
    });
  }

  private static Value parse(String s) throws BuiltinException {
    if (NON_FINITE.matcher(s).matches()) {
      throw BuiltinException.operandType("to_number", 1, "valid number string", "\"" + s + "\"");
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw BuiltinException.failure("to_number", "strconv.ParseFloat: parsing " + Operands.str(s) + ": invalid syntax");
    }
    String clean = s;
    if (clean.startsWith("+")) clean = clean.substring(1);
    BigDecimal d = new BigDecimal(clean);
    if (d.abs().compareTo(new BigDecimal(Double.MAX_VALUE)) > 0) {
      throw BuiltinException.failure("to_number", "strconv.ParseFloat: parsing " + Operands.str(s) + ": value out of range");
    }
    return Operands.num(d);
  }
}
