package io.portcullis.policy.builtins;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether two "regex globs" (literals, {@code .}, {@code [...]} sets, each optionally followed by
 * {@code *} or {@code +}) can match a common string, as {@code regex.globs_match} decides.
 */
final class GlobIntersection {
  private GlobIntersection() {}

  /** One token: a character set, matched once or any number of times. */
  private record Token(boolean any, boolean negated, List<int[]> ranges, boolean star) {
    Token repeated() { return new Token(any, negated, ranges, true); }
  }

  static boolean intersects(String fn, String x, String y) throws BuiltinException {
    List<Token> a = parse(fn, x);
    List<Token> b = parse(fn, y);
    Boolean[][] memo = new Boolean[a.size() + 1][b.size() + 1];
    return match(a, b, 0, 0, memo);
  }

  private static boolean match(List<Token> a, List<Token> b, int i, int j, Boolean[][] memo) {
    if (memo[i][j] != null) return memo[i][j];
    memo[i][j] = false;
    boolean result;
    if (i == a.size() && j == b.size()) {
      result = true;
    } else if (i == a.size()) {
      result = b.get(j).star() && match(a, b, i, j + 1, memo);
    } else if (j == b.size()) {
      result = a.get(i).star() && match(a, b, i + 1, j, memo);
    } else {
      Token ta = a.get(i);
      Token tb = b.get(j);
      result = (ta.star() && match(a, b, i + 1, j, memo)) || (tb.star() && match(a, b, i, j + 1, memo));
      if (!result && overlap(ta, tb)) {
        result = match(a, b, i + 1, j + 1, memo)
            || (ta.star() && match(a, b, i, j + 1, memo))
            || (tb.star() && match(a, b, i + 1, j, memo));
      }
    }
    memo[i][j] = result;
    return result;
  }

  private static boolean overlap(Token x, Token y) {
    if (x.any() || y.any()) return true;
    if (x.negated() && y.negated()) return true;
    if (x.negated()) return someOutside(y.ranges(), x.ranges());
    if (y.negated()) return someOutside(x.ranges(), y.ranges());
    for (int[] r : x.ranges()) for (int[] s : y.ranges()) if (r[0] <= s[1] && s[0] <= r[1]) return true;
    return false;
  }

  /** True when some character of the positive ranges is outside all the excluded ranges. */
  private static boolean someOutside(List<int[]> positive, List<int[]> excluded) {
    for (int[] r : positive) {
      for (int c = r[0]; c <= r[1]; c++) {
        boolean covered = false;
        for (int[] e : excluded) {
          if (c >= e[0] && c <= e[1]) {
            covered = true;
            c = e[1];
            break;
          }
        }
        if (!covered) return true;
      }
    }
    return false;
  }

  private static BuiltinException invalid(String fn, String input, int pos, String what) {
    return BuiltinException.failure(fn, "input:" + input + ", pos:" + pos + ", " + what + ": the input provided is invalid");
  }

  private static List<Token> parse(String fn, String s) throws BuiltinException {
    List<Token> out = new ArrayList<>();
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      switch (c) {
        case '*', '+' -> {
          if (out.isEmpty() || out.get(out.size() - 1).star()) {
            throw invalid(fn, s, i + 1, "flag '" + (char) c + "' does not follow a character or set");
          }
          Token last = out.get(out.size() - 1);
          if (c == '*') out.set(out.size() - 1, last.repeated());
          else out.add(last.repeated());
        }
        case '.' -> out.add(new Token(true, false, List.of(), false));
        case ']' -> throw invalid(fn, s, i + 1, "set-close ']' with no preceding '['");
        case '[' -> {
          int j = i + 1;
          boolean negated = false;
          if (j < cps.length && cps[j] == '^') {
            negated = true;
            j++;
          }
          List<int[]> ranges = new ArrayList<>();
          boolean closed = false;
          while (j < cps.length) {
            int d = cps[j];
            if (d == ']') {
              closed = true;
              break;
            }
            if (d == '\\' && j + 1 < cps.length) d = cps[++j];
            if (j + 2 < cps.length && cps[j + 1] == '-' && cps[j + 2] != ']') {
              int e = cps[j + 2];
              if (e == '\\' && j + 3 < cps.length) {
                e = cps[j + 3];
                j++;
              }
              if (e < d) throw invalid(fn, s, j + 3, "range '" + new String(Character.toChars(d)) + "-" + new String(Character.toChars(e)) + "' is invalid");
              ranges.add(new int[] {d, e});
              j += 3;
            } else {
              ranges.add(new int[] {d, d});
              j++;
            }
          }
          if (!closed) throw invalid(fn, s, cps.length, "set-open '[' with no closing ']'");
          out.add(new Token(false, negated, ranges, false));
          i = j;
        }
        case '\\' -> {
          if (i + 1 >= cps.length) throw invalid(fn, s, i + 1, "escape '\\' at end of input");
          int d = cps[++i];
          out.add(new Token(false, false, List.of(new int[] {d, d}), false));
        }
        default -> out.add(new Token(false, false, List.of(new int[] {c, c}), false));
      }
    }
    return out;
  }
}
