package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/** regex.* builtins with Go RE2 semantics (see {@link GoRegex}). */
final class RegexBuiltins {
  private RegexBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("regex.is_valid", 1, (ctx, a) -> {
      if (!(a.get(0) instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        GoRegex.compile(s.value());
        return BooleanValue.TRUE;
      } catch (GoRegex.SyntaxError e) {
        return BooleanValue.FALSE;
      }
    });
    b.add("regex.match", 2, (ctx, a) -> {
      Pattern p = compile("regex.match", string("regex.match", a, 0));
      return BooleanValue.of(p.matcher(string("regex.match", a, 1)).find());
    });
    b.add("regex.split", 2, (ctx, a) -> {
      Pattern p = compile("regex.split", string("regex.split", a, 0));
      String s = string("regex.split", a, 1);
      List<Value> out = new ArrayList<>();
      int beg = 0;
      int end = 0;
      for (MatchResult m : GoRegex.findAll(p, s, -1)) {
        end = m.start();
        if (m.end() != 0) out.add(str(s.substring(beg, end)));
        beg = m.end();
      }
      if (end != s.length()) out.add(str(s.substring(beg)));
      return new ArrayValue(out);
    });
    b.add("regex.find_n", 3, (ctx, a) -> {
      Pattern p = compile("regex.find_n", string("regex.find_n", a, 0));
      String s = string("regex.find_n", a, 1);
      int n = count("regex.find_n", a, 2);
      List<Value> out = new ArrayList<>();
      for (MatchResult m : GoRegex.findAll(p, s, n)) out.add(str(m.group()));
      return new ArrayValue(out);
    });
    b.add("regex.find_all_string_submatch_n", 3, (ctx, a) -> {
      String fn = "regex.find_all_string_submatch_n";
      Pattern p = compile(fn, string(fn, a, 0));
      String s = string(fn, a, 1);
      int n = count(fn, a, 2);
      List<Value> out = new ArrayList<>();
      for (MatchResult m : GoRegex.findAll(p, s, n)) {
        List<Value> groups = new ArrayList<>();
        for (int g = 0; g <= m.groupCount(); g++) groups.add(str(m.group(g) == null ? "" : m.group(g)));
        out.add(new ArrayValue(groups));
      }
      return new ArrayValue(out);
    });
    b.add("regex.replace", 3, (ctx, a) -> {
      String s = string("regex.replace", a, 0);
      String re = string("regex.replace", a, 1);
      String template = string("regex.replace", a, 2);
      Pattern p = compile("regex.replace", re);
      StringBuilder out = new StringBuilder();
      int last = 0;
      for (MatchResult m : GoRegex.findAll(p, s, -1)) {
        out.append(s, last, m.start());
        GoRegex.expand(template, m, GoRegex.groupNames(re), out);
        last = m.end();
      }
      out.append(s.substring(last));
      return str(out.toString());
    });
    b.add("regex.template_match", 4, (ctx, a) -> {
      String fn = "regex.template_match";
      String template = string(fn, a, 0);
      String value = string(fn, a, 1);
      String open = string(fn, a, 2);
      String close = string(fn, a, 3);
      Pattern p = compile(fn, templatePattern(fn, template, open, close));
      return BooleanValue.of(p.matcher(value).find());
    });
    b.add("regex.globs_match", 2, (ctx, a) -> {
      String x = string("regex.globs_match", a, 0);
      String y = string("regex.globs_match", a, 1);
      return BooleanValue.of(GlobIntersection.intersects("regex.globs_match", x, y));
    });
  }

  private static Pattern compile(String fn, String re) throws BuiltinException {
    try {
      return GoRegex.compile(re);
    } catch (GoRegex.SyntaxError e) {
      throw BuiltinException.failure(fn, e.getMessage());
    }
  }

  private static int count(String fn, List<Value> a, int i) throws BuiltinException {
    BigInteger n = Operands.integer(fn, a, i);
    if (n.signum() < 0) return -1;
    return n.bitLength() > 31 ? Integer.MAX_VALUE : n.intValue();
  }

  /** gorilla/mux-style template: literal text quoted, delimited parts used as regular expressions. */
  private static String templatePattern(String fn, String template, String open, String close) throws BuiltinException {
    int openLen = open.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    int closeLen = close.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (openLen != 1) throw BuiltinException.failure(fn, "start delimiter has to be exactly one character long but is " + openLen + " long");
    // OPA reports the start delimiter's length here too
    if (closeLen != 1) throw BuiltinException.failure(fn, "end delimiter has to be exactly one character long but is " + openLen + " long");
    char o = open.charAt(0);
    char c = close.charAt(0);
    StringBuilder pattern = new StringBuilder("^");
    int level = 0;
    int idx = 0;
    int literalStart = 0;
    for (int i = 0; i < template.length(); i++) {
      char ch = template.charAt(i);
      if (ch == o) {
        if (level++ == 0) idx = i;
      } else if (ch == c) {
        if (--level == 0) {
          pattern.append(quoteMeta(template.substring(literalStart, idx)));
          pattern.append('(').append(template, idx + 1, i).append(')');
          literalStart = i + 1;
        } else if (level < 0) {
          throw BuiltinException.failure(fn, "unbalanced braces in \"" + template + "\"");
        }
      }
    }
    if (level != 0) throw BuiltinException.failure(fn, "unbalanced braces in \"" + template + "\"");
    pattern.append(quoteMeta(template.substring(literalStart))).append('$');
    return pattern.toString();
  }

  /** Go's regexp.QuoteMeta. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) sb.append('\\');
      sb.append(ch);
    }
    return sb.toString();
  }
}
