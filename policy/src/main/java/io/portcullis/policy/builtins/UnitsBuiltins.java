package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.NumberValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** units.parse (SI and binary suffixes, m = milli) and units.parse_bytes. */
final class UnitsBuiltins {
  private UnitsBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("units.parse", 1, (ctx, a) -> {
      String fn = "units.parse";
      String s = string(fn, a, 0).replace("\"", "");
      String[] parts = split(fn, s, "no amount provided");
      String unit = parts[1];
      BigDecimal multiplier;
      if (unit.isEmpty()) multiplier = BigDecimal.ONE;
      else if (unit.equals("m")) multiplier = new BigDecimal("0.001");
      else multiplier = multiplier(unit.toLowerCase(Locale.ROOT));
      if (multiplier == null) throw BuiltinException.failure(fn, "unit " + parts[1] + " not recognized");
      return Operands.num(number(fn, parts[0], "could not parse amount to a number").multiply(multiplier));
    });
    b.add("units.parse_bytes", 1, (ctx, a) -> {
      String fn = "units.parse_bytes";
      String s = string(fn, a, 0).replace("\"", "").toLowerCase(Locale.ROOT);
      String[] parts = split(fn, s, "no byte amount provided");
      String unit = parts[1];
      if (unit.endsWith("b") && unit.length() > 1) unit = unit.substring(0, unit.length() - 1);
      BigDecimal multiplier = unit.isEmpty() ? BigDecimal.ONE : multiplier(unit);
      if (multiplier == null || parts[1].equals("b")) {
        if (!parts[1].equals("b")) throw BuiltinException.failure(fn, "byte unit " + parts[1] + " not recognized");
        multiplier = BigDecimal.ONE;
      }
      BigDecimal n = number(fn, parts[0], "could not parse byte amount to a number").multiply(multiplier);
      return NumberValue.of(n.setScale(0, RoundingMode.DOWN).toBigIntegerExact());
    });
  }

  /** Decimal (k, m, g, ...) and binary (ki, mi, ...) multipliers, lower case; null when unknown. */
  private static BigDecimal multiplier(String unit) {
    String units = "kmgtpe";
    if (unit.length() == 1 && units.contains(unit)) return BigDecimal.TEN.pow(3 * (units.indexOf(unit) + 1));
    if (unit.length() == 2 && unit.charAt(1) == 'i' && units.indexOf(unit.charAt(0)) >= 0) {
      return BigDecimal.valueOf(2).pow(10 * (units.indexOf(unit.charAt(0)) + 1));
    }
    return null;
  }

  /** Splits "4.5e1GiB" into the number and the unit. */
  private static String[] split(String fn, String s, String noAmount) throws BuiltinException {
    if (s.contains(" ")) throw BuiltinException.failure(fn, "spaces not allowed in resource strings");
    int i = 0;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
    int digitsStart = i;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
    if (i == digitsStart) throw BuiltinException.failure(fn, noAmount);
    if (i + 1 < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) j++;
      if (j < s.length() && Character.isDigit(s.charAt(j))) {
        while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
        i = j;
      }
    }
    return new String[] {s.substring(0, i), s.substring(i)};
  }

  private static BigDecimal number(String fn, String s, String message) throws BuiltinException {
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw BuiltinException.failure(fn, message);
    }
  }
}
