package io.portcullis.policy.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Go RE2 regular expressions on top of java.util.regex: the pattern is checked against RE2's syntax
 * (no backreferences, lookaround, possessive or nested repetition) and translated where the two
 * dialects differ ({@code $} is end of text, {@code [[:alpha:]]}, {@code (?P<name>)}, literal
 * {@code {}, nested {@code [} in classes, {@code \p{Greek}}).
 */
final class GoRegex {
  private GoRegex() {}

  /** An RE2 syntax error; the message follows Go's "error parsing regexp: ..." wording. */
  static final class SyntaxError extends Exception {
    SyntaxError(String message) { super(message, null, false, false); }
  }

  private static final int CACHE_LIMIT = 2000;
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, Integer>> NAMES = new ConcurrentHashMap<>();

  static Pattern compile(String re) throws SyntaxError {
    Pattern p = CACHE.get(re);
    if (p != null) return p;
    Map<String, Integer> names = new java.util.HashMap<>();
    String java = translate(re, names);
    try {
      p = Pattern.compile(java, Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      throw new SyntaxError("error parsing regexp: " + e.getDescription() + ": `" + re + "`");
    }
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
      NAMES.clear();
    }
    NAMES.put(re, names);
    CACHE.put(re, p);
    return p;
  }

  /** The capture group numbers of the named groups of a compiled pattern. */
  static Map<String, Integer> groupNames(String re) {
    Map<String, Integer> names = NAMES.get(re);
    if (names != null) return names;
    Map<String, Integer> fresh = new java.util.HashMap<>();
    try {
      translate(re, fresh);
    } catch (SyntaxError e) {
      return Map.of();
    }
    return fresh;
  }

  private static String translate(String re, Map<String, Integer> names) throws SyntaxError {
    int groups = 0;
    StringBuilder out = new StringBuilder(re.length() + 8);
    boolean multiline = re.matches("(?s).*\\(\\?[a-zA-Z]*m[a-zA-Z]*[:)].*");
    boolean afterQuantifier = false;
    boolean lazyAllowed = false;
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        i = escape(re, i, out, false);
        afterQuantifier = false;
        continue;
      }
      if (c == '[') {
        i = charClass(re, i, out);
        afterQuantifier = false;
        continue;
      }
      if (c == '(') {
        if (re.startsWith("(?P<", i)) {
          int close = re.indexOf('>', i);
          if (close < 0) throw new SyntaxError("error parsing regexp: invalid named capture: `" + re.substring(i) + "`");
          out.append("(?<").append(groupName(re.substring(i + 4, close))).append('>');
          names.put(re.substring(i + 4, close), ++groups);
          i = close + 1;
        } else if (re.startsWith("(?<", i) && i + 3 < n && re.charAt(i + 3) != '=' && re.charAt(i + 3) != '!') {
          int close = re.indexOf('>', i);
          if (close < 0) throw new SyntaxError("error parsing regexp: invalid named capture: `" + re.substring(i) + "`");
          out.append("(?<").append(groupName(re.substring(i + 3, close))).append('>');
          names.put(re.substring(i + 3, close), ++groups);
          i = close + 1;
        } else if (re.startsWith("(?=", i) || re.startsWith("(?!", i) || re.startsWith("(?<", i) || re.startsWith("(?>", i)) {
          throw new SyntaxError("error parsing regexp: invalid or unsupported Perl syntax: `" + re.substring(i, Math.min(n, i + 3)) + "`");
        } else {
          if (!re.startsWith("(?", i)) groups++;
          out.append(c);
          i++;
        }
        afterQuantifier = false;
        continue;
      }
      if (c == '*' || c == '+' || c == '?') {
        if (afterQuantifier) {
          if (c == '?' && lazyAllowed) {
            out.append(c);
            lazyAllowed = false;
            i++;
            continue;
          }
          throw new SyntaxError("error parsing regexp: invalid nested repetition operator: `" + re.substring(i - 1, i + 1) + "`");
        }
        out.append(c);
        afterQuantifier = true;
        lazyAllowed = true;
        i++;
        continue;
      }
      if (c == '{') {
        Matcher m = REPEAT.matcher(re).region(i, n);
        if (m.lookingAt()) {
          if (afterQuantifier) throw new SyntaxError("error parsing regexp: invalid nested repetition operator: `" + m.group() + "`");
          int min = Integer.parseInt(m.group(1));
          int max = m.group(3) == null || m.group(3).isEmpty() ? min : Integer.parseInt(m.group(3));
          if (min > 1000 || max > 1000 || (m.group(3) != null && !m.group(3).isEmpty() && max < min)) {
            throw new SyntaxError("error parsing regexp: invalid repeat count: `" + m.group() + "`");
          }
          out.append(m.group());
          i = m.end();
          afterQuantifier = true;
          lazyAllowed = true;
          continue;
        }
        out.append("\\{");
        i++;
        afterQuantifier = false;
        continue;
      }
      if (c == '}') {
        out.append("\\}");
        i++;
        afterQuantifier = false;
        continue;
      }
      if (c == '$' && !multiline) {
        out.append("\\z");
        i++;
        afterQuantifier = false;
        continue;
      }
      out.append(c);
      afterQuantifier = false;
      i++;
    }
    return out.toString();
  }

  private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)(,(\\d*))?\\}");

  private static String groupName(String name) throws SyntaxError {
    if (name.isEmpty() || !name.matches("[A-Za-z0-9_]+")) throw new SyntaxError("error parsing regexp: invalid named capture: `" + name + "`");
    // Java group names allow only letters and digits.
    return "g" + name.replace("_", "9u9");
  }

  /** Translates one escape at re[i] == '\\'; returns the index after it. */
  private static int escape(String re, int i, StringBuilder out, boolean inClass) throws SyntaxError {
    if (i + 1 >= re.length()) throw new SyntaxError("error parsing regexp: trailing backslash at end of expression: ``");
    char d = re.charAt(i + 1);
    if (d >= '1' && d <= '9' && !inClass) {
      throw new SyntaxError("error parsing regexp: invalid escape sequence: `\\" + d + "`");
    }
    if (d == 'p' || d == 'P') {
      boolean negate = d == 'P';
      String name;
      int end;
      if (i + 2 < re.length() && re.charAt(i + 2) == '{') {
        int close = re.indexOf('}', i + 2);
        if (close < 0) throw new SyntaxError("error parsing regexp: invalid character class range: `" + re.substring(i) + "`");
        name = re.substring(i + 3, close);
        end = close + 1;
      } else if (i + 2 < re.length()) {
        name = String.valueOf(re.charAt(i + 2));
        end = i + 3;
      } else {
        throw new SyntaxError("error parsing regexp: invalid character class range: `" + re.substring(i) + "`");
      }
      if (name.startsWith("^")) {
        negate = !negate;
        name = name.substring(1);
      }
      out.append(negate ? "\\P{" : "\\p{").append(name.equals("Any") ? "IsAssigned}|\\P{IsAssigned" : "Is" + name).append('}');
      return end;
    }
    if (d == 'Q') {
      int end = re.indexOf("\\E", i + 2);
      String lit = end < 0 ? re.substring(i + 2) : re.substring(i + 2, end);
      out.append(Pattern.quote(lit));
      return end < 0 ? re.length() : end + 2;
    }
    if (d == 'Z' || d == 'G' || d == 'R' || d == 'X' || d == 'h' || d == 'H' || d == 'V' || d == 'k' || d == 'K' || d == 'e' || d == 'c') {
      throw new SyntaxError("error parsing regexp: invalid escape sequence: `\\" + d + "`");
    }
    if (d == 'v') {
      out.append("\\x0B");
      return i + 2;
    }
    out.append('\\').append(d);
    return i + 2;
  }

  /** Translates a character class starting at re[i] == '['; returns the index after it. */
  private static int charClass(String re, int i, StringBuilder out) throws SyntaxError {
    int n = re.length();
    out.append('[');
    i++;
    if (i < n && re.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean first = true;
    while (i < n) {
      char c = re.charAt(i);
      if (c == ']' && !first) {
        out.append(']');
        return i + 1;
      }
      first = false;
      if (c == '[' && re.startsWith("[:", i)) {
        int close = re.indexOf(":]", i + 2);
        if (close > 0) {
          String name = re.substring(i + 2, close);
          boolean negate = name.startsWith("^");
          if (negate) name = name.substring(1);
          String posix = posix(name);
          if (posix == null) throw new SyntaxError("error parsing regexp: invalid character class range: `" + re.substring(i, close + 2) + "`");
          out.append(negate ? "\\P{" : "\\p{").append(posix).append('}');
          i = close + 2;
          continue;
        }
      }
      if (c == '\\') {
        i = escape(re, i, out, true);
        continue;
      }
      if (c == '[' || c == '&' || c == ']') {
        out.append('\\').append(c);
        i++;
        continue;
      }
      out.append(c);
      i++;
    }
    throw new SyntaxError("error parsing regexp: missing closing ]: `" + re.substring(re.lastIndexOf('[')) + "`");
  }

  private static String posix(String name) {
    return switch (name) {
      case "alnum" -> "Alnum";
      case "alpha" -> "Alpha";
      case "ascii" -> "ASCII";
      case "blank" -> "Blank";
      case "cntrl" -> "Cntrl";
      case "digit" -> "Digit";
      case "graph" -> "Graph";
      case "lower" -> "Lower";
      case "print" -> "Print";
      case "punct" -> "Punct";
      case "space" -> "Space";
      case "upper" -> "Upper";
      case "word" -> "Alnum}_\\p{Alnum";
      case "xdigit" -> "XDigit";
      default -> null;
    };
  }

  /**
   * All matches as Go's FindAll does: successive non-overlapping matches, ignoring empty matches
   * that abut the previous match; at most n when n &gt;= 0.
   */
  static List<java.util.regex.MatchResult> findAll(Pattern p, String s, int n) {
    List<java.util.regex.MatchResult> out = new ArrayList<>();
    if (n == 0) return out;
    Matcher m = p.matcher(s);
    int prevEnd = -1;
    int from = 0;
    while (from <= s.length() && m.find(from)) {
      if (m.end() == m.start() && m.start() == prevEnd) {
        // empty match right after the previous match: skip one code point
        if (m.start() >= s.length()) break;
        from = m.start() + Character.charCount(s.codePointAt(m.start()));
        continue;
      }
      out.add(m.toMatchResult());
      if (n > 0 && out.size() >= n) break;
      prevEnd = m.end();
      if (m.end() == m.start()) {
        if (m.end() >= s.length()) break;
        from = m.end() + Character.charCount(s.codePointAt(m.end()));
      } else {
        from = m.end();
      }
    }
    return out;
  }

  /** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
  static void expand(String template, java.util.regex.MatchResult m, Map<String, Integer> names, StringBuilder out) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= n) {
        out.append(c);
        i++;
        continue;
      }
      char d = template.charAt(i + 1);
      if (d == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (d == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) j++;
        name = template.substring(i + 1, j);
        end = j;
      }
      if (name.isEmpty() || !name.matches("[A-Za-z0-9_]+")) {
        out.append(c);
        i++;
        continue;
      }
      String value = null;
      if (name.matches("\\d+")) {
        try {
          int g = Integer.parseInt(name);
          if (g <= m.groupCount()) value = m.group(g);
        } catch (NumberFormatException ignored) {
          // too large: no such group
        }
      } else {
        Integer g = names.get(name);
        if (g != null && g <= m.groupCount()) value = m.group(g);
      }
      if (value != null) out.append(value);
      i = end;
    }
  }
}
