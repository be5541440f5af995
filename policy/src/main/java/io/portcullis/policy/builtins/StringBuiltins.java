package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import io.portcullis.policy.value.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** String builtins; indexes and lengths count Unicode code points, as Go counts runes. */
final class StringBuiltins {
  private StringBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("concat", 2, (ctx, a) -> {
      String delim = string("concat", a, 0);
      return str(String.join(delim, Operands.stringCollection("concat", a, 1)));
    });
    b.add("contains", 2, (ctx, a) -> BooleanValue.of(string("contains", a, 0).contains(string("contains", a, 1))));
    b.add("startswith", 2, (ctx, a) -> BooleanValue.of(string("startswith", a, 0).startsWith(string("startswith", a, 1))));
    b.add("endswith", 2, (ctx, a) -> BooleanValue.of(string("endswith", a, 0).endsWith(string("endswith", a, 1))));
    b.add("lower", 1, (ctx, a) -> str(string("lower", a, 0).toLowerCase(Locale.ROOT)));
    b.add("upper", 1, (ctx, a) -> str(string("upper", a, 0).toUpperCase(Locale.ROOT)));
    b.add("format_int", 2, StringBuiltins::formatInt);
    b.add("indexof", 2, (ctx, a) -> {
      String s = string("indexof", a, 0);
      String sub = string("indexof", a, 1);
      if (sub.isEmpty()) throw BuiltinException.failure("indexof", "empty search character");
      int i = s.indexOf(sub);
      return NumberValue.of(i < 0 ? -1 : s.codePointCount(0, i));
    });
    b.add("indexof_n", 2, (ctx, a) -> {
      String s = string("indexof_n", a, 0);
      String sub = string("indexof_n", a, 1);
      if (sub.isEmpty()) throw BuiltinException.failure("indexof_n", "empty search character");
      List<Value> out = new ArrayList<>();
      int runes = 0;
      for (int i = 0; i < s.length(); ) {
        if (s.startsWith(sub, i)) out.add(NumberValue.of(runes));
        i += Character.charCount(s.codePointAt(i));
        runes++;
      }
      return new ArrayValue(out);
    });
    b.add("replace", 3, (ctx, a) -> {
      String s = string("replace", a, 0);
      String old = string("replace", a, 1);
      String neu = string("replace", a, 2);
      return str(replaceAll(s, old, neu));
    });
    b.add("strings.replace_n", 2, StringBuiltins::replaceN);
    b.add("split", 2, (ctx, a) -> {
      String s = string("split", a, 0);
      String d = string("split", a, 1);
      List<Value> out = new ArrayList<>();
      for (String part : split(s, d)) out.add(str(part));
      return new ArrayValue(out);
    });
    b.add("strings.split_n", 3, (ctx, a) -> {
      String s = string("strings.split_n", a, 0);
      String d = string("strings.split_n", a, 1);
      BigInteger n = Operands.integer("strings.split_n", a, 2);
      List<String> parts = split(s, d);
      int count = n.abs().min(BigInteger.valueOf(parts.size())).intValue();
      List<String> picked = n.signum() >= 0 ? parts.subList(0, count) : parts.subList(parts.size() - count, parts.size());
      List<Value> out = new ArrayList<>();
      for (String part : picked) out.add(str(part));
      return new ArrayValue(out);
    });
    b.add("sprintf", 2, (ctx, a) -> {
      String format = string("sprintf", a, 0);
      ArrayValue values = Operands.array("sprintf", a, 1);
      List<Object> args = new ArrayList<>();
      for (Value v : values.elements()) args.add(goArgument(v));
      return str(GoFormat.sprintf(format, args));
    });
    b.add("substring", 3, (ctx, a) -> {
      String s = string("substring", a, 0);
      BigInteger start = Operands.integer("substring", a, 1);
      BigInteger length = Operands.integer("substring", a, 2);
      if (start.signum() < 0) throw BuiltinException.failure("substring", "negative offset");
      int runes = s.codePointCount(0, s.length());
      if (start.compareTo(BigInteger.valueOf(runes)) >= 0) return str("");
      int from = start.intValue();
      int to = length.signum() < 0 || start.add(length).compareTo(BigInteger.valueOf(runes)) > 0 ? runes : from + length.intValue();
      return str(s.substring(s.offsetByCodePoints(0, from), s.offsetByCodePoints(0, to)));
    });
    b.add("trim", 2, (ctx, a) -> str(trimRight(trimLeft(string("trim", a, 0), string("trim", a, 1)), string("trim", a, 1))));
    b.add("trim_left", 2, (ctx, a) -> str(trimLeft(string("trim_left", a, 0), string("trim_left", a, 1))));
    b.add("trim_right", 2, (ctx, a) -> str(trimRight(string("trim_right", a, 0), string("trim_right", a, 1))));
    b.add("trim_prefix", 2, (ctx, a) -> {
      String s = string("trim_prefix", a, 0);
      String p = string("trim_prefix", a, 1);
      return str(s.startsWith(p) ? s.substring(p.length()) : s);
    });
    b.add("trim_suffix", 2, (ctx, a) -> {
      String s = string("trim_suffix", a, 0);
      String p = string("trim_suffix", a, 1);
      return str(s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
    });
    b.add("trim_space", 1, (ctx, a) -> str(trimSpace(string("trim_space", a, 0))));
    b.add("strings.reverse", 1, (ctx, a) -> {
      String s = string("strings.reverse", a, 0);
      int[] cps = s.codePoints().toArray();
      StringBuilder sb = new StringBuilder(s.length());
      for (int i = cps.length - 1; i >= 0; i--) sb.appendCodePoint(cps[i]);
      return str(sb.toString());
    });
    b.add("strings.any_prefix_match", 2, (ctx, a) -> {
      List<String> search = Operands.stringOrCollection("strings.any_prefix_match", a, 0);
      List<String> base = Operands.stringOrCollection("strings.any_prefix_match", a, 1);
      for (String s : search) for (String p : base) if (s.startsWith(p)) return BooleanValue.TRUE;
      return BooleanValue.FALSE;
    });
    b.add("strings.any_suffix_match", 2, (ctx, a) -> {
      List<String> search = Operands.stringOrCollection("strings.any_suffix_match", a, 0);
      List<String> base = Operands.stringOrCollection("strings.any_suffix_match", a, 1);
      for (String s : search) for (String p : base) if (s.endsWith(p)) return BooleanValue.TRUE;
      return BooleanValue.FALSE;
    });
    b.add("strings.render_template", 2, (ctx, a) -> {
      String template = string("strings.render_template", a, 0);
      ObjectValue vars = Operands.object("strings.render_template", a, 1);
      try {
        return str(GoTemplate.render(template, vars));
      } catch (GoTemplate.TemplateError e) {
        throw BuiltinException.failure("strings.render_template", e.getMessage());
      }
    });
    b.add("strings.count", 2, (ctx, a) -> {
      String s = string("strings.count", a, 0);
      String sub = string("strings.count", a, 1);
      if (sub.isEmpty()) return NumberValue.of(s.codePointCount(0, s.length()) + 1);
      int count = 0;
      for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) count++;
      return NumberValue.of(count);
    });
  }

  /** The Go value OPA hands to fmt.Sprintf for a Rego value. */
  static Object goArgument(Value v) {
    if (v instanceof NumberValue n) {
      if (n.isInteger()) {
        BigInteger i = n.bigDecimal().toBigIntegerExact();
        return i.bitLength() < 64 ? (Object) i.longValue() : i;
      }
      double d = n.doubleValue();
      return Double.isFinite(d) ? (Object) d : n.toString();
    }
    if (v instanceof StringValue s) return s.value();
    return Json.render(v);
  }

  private static Value formatInt(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    BigDecimal n = Operands.decimal("format_int", a, 0);
    BigDecimal base = Operands.decimal("format_int", a, 1);
    int radix;
    if (base.compareTo(BigDecimal.valueOf(2)) == 0) radix = 2;
    else if (base.compareTo(BigDecimal.valueOf(8)) == 0) radix = 8;
    else if (base.compareTo(BigDecimal.TEN) == 0) radix = 10;
    else if (base.compareTo(BigDecimal.valueOf(16)) == 0) radix = 16;
    else throw Operands.operandError("format_int", 1, "must be one of {2, 8, 10, 16}");
    return str(n.setScale(0, RoundingMode.DOWN).toBigInteger().toString(radix));
  }

  private static Value replaceN(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    ObjectValue patterns = Operands.object("strings.replace_n", a, 0);
    String s = string("strings.replace_n", a, 1);
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<Value, Value> e : patterns.entries().entrySet()) {
      if (!(e.getKey() instanceof StringValue k)) {
        throw Operands.operandError("strings.replace_n", 0, "non-string key found in pattern object");
      }
      if (!(e.getValue() instanceof StringValue v)) {
        throw Operands.operandError("strings.replace_n", 0, "non-string value found in pattern object");
      }
      pairs.add(new String[] {k.value(), v.value()});
    }
    // Go's strings.Replacer: leftmost match, patterns tried in argument (sorted key) order.
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i <= s.length()) {
      String[] hit = null;
      for (String[] p : pairs) {
        if (s.startsWith(p[0], i)) {
          hit = p;
          break;
        }
      }
      if (hit != null && !hit[0].isEmpty()) {
        out.append(hit[1]);
        i += hit[0].length();
        continue;
      }
      if (hit != null) out.append(hit[1]);
      if (i == s.length()) break;
      int cp = s.codePointAt(i);
      out.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return str(out.toString());
  }

  /** Go's strings.ReplaceAll. */
  static String replaceAll(String s, String old, String neu) {
    if (!old.isEmpty()) return s.replace(old, neu);
    StringBuilder sb = new StringBuilder(neu);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(cp).append(neu);
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  /** Go's strings.Split: an empty separator splits into code points. */
  static List<String> split(String s, String sep) {
    List<String> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      return out;
    }
    int from = 0;
    for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, from)) {
      out.add(s.substring(from, i));
      from = i + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  static String trimLeft(String s, String cutset) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (cutset.indexOf(cp) < 0) break;
      i += Character.charCount(cp);
    }
    return s.substring(i);
  }

  static String trimRight(String s, String cutset) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (cutset.indexOf(cp) < 0) break;
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  /** Go's unicode.IsSpace. */
  static boolean isSpace(int cp) {
    if (cp <= 0xff) return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xa0;
    return Character.isSpaceChar(cp);
  }

  static String trimSpace(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
    int end = s.length();
    while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
    return s.substring(start, end);
  }
}
