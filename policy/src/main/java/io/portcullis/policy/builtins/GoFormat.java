package io.portcullis.policy.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Go's {@code fmt.Sprintf} for the argument kinds OPA's {@code sprintf} passes: Go ints
 * ({@link Long}), big integers ({@link BigInteger}), float64 ({@link Double}) and strings.
 */
final class GoFormat {
  private GoFormat() {}

  /** Parsed flags, width and precision of one directive. */
  private static final class Spec {
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    int width = -1;
    int precision = -1;
  }

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argIndex = 0;
    int i = 0;
    int n = format.length();
    boolean reordered = false;
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      Spec spec = new Spec();
      for (; i < n; i++) {
        char f = format.charAt(i);
        if (f == '-') { spec.minus = true; spec.zero = false; }
        else if (f == '+') spec.plus = true;
        else if (f == '#') spec.sharp = true;
        else if (f == ' ') spec.space = true;
        else if (f == '0') spec.zero = !spec.minus;
        else break;
      }
      // explicit argument index [n]
      if (i < n && format.charAt(i) == '[') {
        int close = format.indexOf(']', i);
        if (close > i) {
          try {
            argIndex = Integer.parseInt(format.substring(i + 1, close)) - 1;
            reordered = true;
          } catch (NumberFormatException ignored) {
            // leave as is
          }
          i = close + 1;
        }
      }
      if (i < n && format.charAt(i) == '*') {
        i++;
        if (argIndex < args.size() && args.get(argIndex) instanceof Long w) {
          spec.width = (int) Math.abs(w);
          if (w < 0) { spec.minus = true; spec.zero = false; }
        } else {
          out.append("%!(BADWIDTH)");
        }
        argIndex++;
      } else {
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) i++;
        if (i > start) spec.width = Integer.parseInt(format.substring(start, Math.min(i, start + 6)));
      }
      if (i < n && format.charAt(i) == '.') {
        i++;
        if (i < n && format.charAt(i) == '*') {
          i++;
          if (argIndex < args.size() && args.get(argIndex) instanceof Long p && p >= 0) spec.precision = (int) (long) p;
          else out.append("%!(BADPREC)");
          argIndex++;
        } else {
          int start = i;
          while (i < n && Character.isDigit(format.charAt(i))) i++;
          spec.precision = i > start ? Integer.parseInt(format.substring(start, Math.min(i, start + 6))) : 0;
        }
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argIndex >= args.size() || argIndex < 0) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argIndex++);
      out.append(formatOne(spec, verb, arg));
    }
    if (!reordered && argIndex < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argIndex; k < args.size(); k++) {
        if (k > argIndex) out.append(", ");
        Object a = args.get(k);
        out.append(typeName(a)).append('=').append(formatOne(new Spec(), 'v', a));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String typeName(Object a) {
    if (a instanceof Long) return "int";
    if (a instanceof BigInteger) return "*big.Int";
    if (a instanceof Double) return "float64";
    return "string";
  }

  private static String bad(int verb, Object arg) {
    String type = arg instanceof BigInteger ? "big.Int" : typeName(arg);
    return "%!" + new String(Character.toChars(verb)) + "(" + type + "=" + formatOne(new Spec(), 'v', arg) + ")";
  }

  private static String formatOne(Spec spec, int verb, Object arg) {
    if (verb == 'T') return pad(spec, typeName(arg));
    if (arg instanceof String s) return formatString(spec, verb, s);
    if (arg instanceof Long l) return formatInteger(spec, verb, BigInteger.valueOf(l), arg);
    if (arg instanceof BigInteger b) {
      if (verb == 's') verb = 'd';
      return formatInteger(spec, verb, b, arg);
    }
    return formatFloat(spec, verb, (Double) arg);
  }

  // ---- strings

  private static String formatString(Spec spec, int verb, String s) {
    switch (verb) {
      case 'v':
      case 's': {
        String t = s;
        if (spec.precision >= 0 && t.codePointCount(0, t.length()) > spec.precision) {
          t = t.substring(0, t.offsetByCodePoints(0, spec.precision));
        }
        return pad(spec, t);
      }
      case 'q':
        if (spec.sharp && s.indexOf('`') < 0 && s.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f || ch == '\t')) {
          return pad(spec, "`" + s + "`");
        }
        return pad(spec, quote(s, spec.plus));
      case 'x':
      case 'X': {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (spec.precision >= 0 && bytes.length > spec.precision) bytes = java.util.Arrays.copyOf(bytes, spec.precision);
        StringBuilder sb = new StringBuilder();
        String digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
        for (int k = 0; k < bytes.length; k++) {
          if (spec.space && k > 0) sb.append(' ');
          if (spec.sharp && (spec.space || k == 0)) sb.append(verb == 'x' ? "0x" : "0X");
          sb.append(digits.charAt((bytes[k] >> 4) & 0xf)).append(digits.charAt(bytes[k] & 0xf));
        }
        return pad(spec, sb.toString());
      }
      default:
        return bad(verb, s);
    }
  }

  /** Go's strconv.Quote (ASCII-only when asciiOnly). */
  static String quote(String s, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder("\"");
    for (int k = 0; k < s.length(); ) {
      int cp = s.codePointAt(k);
      k += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case 11 -> sb.append("\\v");
        default -> {
          if (cp < 0x20 || cp == 0x7f) sb.append(String.format("\\x%02x", cp));
          else if (cp > 0x7e && (asciiOnly || !isPrintable(cp))) {
            if (cp < 0x10000) sb.append(String.format("\\u%04x", cp));
            else sb.append(String.format("\\U%08x", cp));
          } else sb.appendCodePoint(cp);
        }
      }
    }
    return sb.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    int type = Character.getType(cp);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE && type != Character.SURROGATE
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
        && (type != Character.SPACE_SEPARATOR || cp == ' ');
  }

  // ---- integers

  private static String formatInteger(Spec spec, int verb, BigInteger v, Object arg) {
    String digits;
    String prefix = "";
    BigInteger abs = v.abs();
    switch (verb) {
      case 'v', 'd' -> digits = abs.toString();
      case 'b' -> { digits = abs.toString(2); if (spec.sharp) prefix = "0b"; }
      case 'o' -> { digits = abs.toString(8); if (spec.sharp) prefix = "0"; }
      case 'O' -> { digits = abs.toString(8); prefix = "0o"; }
      case 'x' -> { digits = abs.toString(16); if (spec.sharp) prefix = "0x"; }
      case 'X' -> { digits = abs.toString(16).toUpperCase(); if (spec.sharp) prefix = "0X"; }
      case 'c' -> { return arg instanceof Long ? pad(spec, new String(Character.toChars(v.intValue()))) : bad(verb, arg); }
      case 'q' -> {
        if (!(arg instanceof Long)) return bad(verb, arg);
        String ch = new String(Character.toChars(v.intValue()));
        String q = quote(ch, spec.plus);
        return pad(spec, "'" + q.substring(1, q.length() - 1).replace("\\\"", "\"").replace("'", "\\'") + "'");
      }
      case 'U' -> {
        if (!(arg instanceof Long)) return bad(verb, arg);
        String hex = abs.toString(16).toUpperCase();
        while (hex.length() < 4) hex = "0" + hex;
        return pad(spec, "U+" + hex);
      }
      default -> { return bad(verb, arg); }
    }
    if (spec.precision >= 0) {
      if (spec.precision == 0 && v.signum() == 0) digits = "";
      while (digits.length() < spec.precision) digits = "0" + digits;
    }
    String sign = v.signum() < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
    if (spec.zero && !spec.minus && spec.precision < 0 && spec.width > 0) {
      while (sign.length() + digits.length() < spec.width) digits = "0" + digits;
    }
    String body = prefix + digits;
    return pad(spec, sign + body);
  }

  // ---- floats

  private static String formatFloat(Spec spec, int verb, double d) {
    String body;
    switch (verb) {
      case 'v', 'g', 'G' -> body = formatG(Math.abs(d), spec.precision, verb == 'G', spec.sharp);
      case 'f', 'F' -> body = new BigDecimal(Math.abs(d)).setScale(spec.precision < 0 ? 6 : spec.precision, RoundingMode.HALF_EVEN).toPlainString();
      case 'e', 'E' -> body = formatE(new BigDecimal(Math.abs(d)), spec.precision < 0 ? 6 : spec.precision, verb == 'E');
      default -> { return bad(verb, d); }
    }
    if (Double.isInfinite(d)) body = "Inf";
    if (Double.isNaN(d)) body = "NaN";
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    String sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
    if (spec.zero && !spec.minus && spec.width > 0 && Double.isFinite(d)) {
      while (sign.length() + body.length() < spec.width) body = "0" + body;
    }
    return pad(spec, sign + body);
  }

  /** %e with the given number of fraction digits; exponent with at least two digits. */
  private static String formatE(BigDecimal v, int precision, boolean upper) {
    String mantissa;
    int exp;
    if (v.signum() == 0) {
      mantissa = precision > 0 ? "0." + "0".repeat(precision) : "0";
      exp = 0;
    } else {
      BigDecimal r = v.round(new java.math.MathContext(precision + 1, RoundingMode.HALF_EVEN));
      exp = r.precision() - r.scale() - 1;
      BigDecimal m = r.movePointLeft(exp).setScale(precision, RoundingMode.HALF_EVEN);
      mantissa = m.toPlainString();
    }
    return mantissa + exponent(exp, upper);
  }

  private static String exponent(int exp, boolean upper) {
    String e = Integer.toString(Math.abs(exp));
    if (e.length() < 2) e = "0" + e;
    return (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + e;
  }

  /** %g / %v: shortest representation when precision is -1. */
  private static String formatG(double v, int precision, boolean upper, boolean sharp) {
    if (Double.isInfinite(v) || Double.isNaN(v)) return "";
    BigDecimal digits;
    int eprec;
    if (precision < 0) {
      digits = v == 0 ? BigDecimal.ZERO : new BigDecimal(Double.toString(v)).stripTrailingZeros();
      eprec = 6;
    } else {
      int p = precision == 0 ? 1 : precision;
      digits = v == 0 ? BigDecimal.ZERO : new BigDecimal(v).round(new java.math.MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
      eprec = p;
      int nd = digits.precision();
      int dp = digits.precision() - digits.scale();
      if (eprec > nd && nd >= dp) eprec = nd;
    }
    int exp = v == 0 ? 0 : digits.precision() - digits.scale() - 1;
    if (exp < -4 || exp >= eprec) {
      BigDecimal m = digits.movePointLeft(exp);
      String ms = m.stripTrailingZeros().toPlainString();
      if (m.signum() == 0) ms = "0";
      return ms + exponent(exp, upper);
    }
    String plain = digits.toPlainString();
    if (digits.signum() == 0) plain = "0";
    return plain;
  }

  private static String pad(Spec spec, String s) {
    int len = s.codePointCount(0, s.length());
    if (spec.width <= len) return s;
    String fill = " ".repeat(spec.width - len);
    return spec.minus ? s + fill : fill + s;
  }
}
