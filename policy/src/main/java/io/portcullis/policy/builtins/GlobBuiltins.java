package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** glob.match and glob.quote_meta with gobwas/glob syntax. */
final class GlobBuiltins {
  private GlobBuiltins() {}

  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  static void register(BuiltinRegistry.Builder b) {
    b.add("glob.match", 3, (ctx, a) -> {
      String pattern = string("glob.match", a, 0);
      Value delims = a.get(1);
      List<Integer> separators = new ArrayList<>();
      if (delims instanceof ArrayValue arr) {
        for (Value d : arr.elements()) {
          if (!(d instanceof StringValue s)) {
            throw BuiltinException.operandType("glob.match", 2, "array of strings", "array containing " + d.typeName());
          }
          s.value().codePoints().forEach(separators::add);
        }
        if (arr.size() == 0) separators.add((int) '.');
      } else if (!(delims instanceof NullValue)) {
        throw Operands.typeError("glob.match", 1, delims, "array", "null");
      }
      String match = string("glob.match", a, 2);
      String key = pattern + "\u0000" + separators;
      Pattern p = CACHE.get(key);
      if (p == null) {
        p = Pattern.compile(toRegex("glob.match", pattern, separators), Pattern.DOTALL);
        if (CACHE.size() > 2000) CACHE.clear();
        CACHE.put(key, p);
      }
      return BooleanValue.of(p.matcher(match).matches());
    });
    b.add("glob.quote_meta", 1, (ctx, a) -> {
      String s = string("glob.quote_meta", a, 0);
      StringBuilder sb = new StringBuilder();
      for (char c : s.toCharArray()) {
        if ("*?\\[]{},".indexOf(c) >= 0) sb.append('\\');
        sb.append(c);
      }
      return str(sb.toString());
    });
  }

  private static String toRegex(String fn, String glob, List<Integer> separators) throws BuiltinException {
    String notSep;
    if (separators.isEmpty()) {
      notSep = ".";
    } else {
      notSep = "[^" + escapeClass(separators) + "]";
    }
    StringBuilder out = new StringBuilder();
    int[] cps = glob.codePoints().toArray();
    int depth = 0;
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      switch (c) {
        case '*' -> {
          if (i + 1 < cps.length && cps[i + 1] == '*') {
            out.append(".*");
            i++;
          } else {
            out.append(notSep).append('*');
          }
        }
        case '?' -> out.append(notSep);
        case '\\' -> {
          if (i + 1 >= cps.length) throw BuiltinException.failure(fn, "unexpected end of input");
          out.append(Pattern.quote(new String(Character.toChars(cps[++i]))));
        }
        case '[' -> {
          int j = i + 1;
          StringBuilder cls = new StringBuilder("[");
          if (j < cps.length && cps[j] == '!') {
            cls.append('^');
            j++;
          }
          boolean closed = false;
          for (; j < cps.length; j++) {
            if (cps[j] == ']') {
              closed = true;
              break;
            }
            int d = cps[j];
            if (d == '\\' && j + 1 < cps.length) d = cps[++j];
            if (d == '-') cls.append('-');
            else cls.append(escapeClass(List.of(d)));
          }
          if (!closed) throw BuiltinException.failure(fn, "unexpected end of input");
          out.append(cls).append(']');
          i = j;
        }
        case '{' -> {
          out.append("(?:");
          depth++;
        }
        case '}' -> {
          if (depth == 0) {
            out.append("\\}");
          } else {
            out.append(')');
            depth--;
          }
        }
        case ',' -> out.append(depth > 0 ? "|" : ",");
        default -> out.append(Pattern.quote(new String(Character.toChars(c))));
      }
    }
    if (depth != 0) throw BuiltinException.failure(fn, "unexpected end of input");
    return out.toString();
  }

  private static String escapeClass(List<Integer> cps) {
    StringBuilder sb = new StringBuilder();
    for (int c : cps) {
      if (c < 128 && !Character.isLetterOrDigit(c)) sb.append('\\');
      sb.appendCodePoint(c);
    }
    return sb.toString();
  }
}
