package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.StringValue;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** semver.is_valid and semver.compare (Semantic Versioning 2.0.0, no leading "v"). */
final class SemverBuiltins {
  private SemverBuiltins() {}

  private static final Pattern SEMVER = Pattern.compile(
      "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
          + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

  static void register(BuiltinRegistry.Builder b) {
    b.add("semver.is_valid", 1, (ctx, a) -> BooleanValue.of(a.get(0) instanceof StringValue s && SEMVER.matcher(s.value()).matches()));
    b.add("semver.compare", 2, (ctx, a) -> {
      Matcher x = parse("semver.compare", string("semver.compare", a, 0), 1);
      Matcher y = parse("semver.compare", string("semver.compare", a, 1), 2);
      return NumberValue.of(compare(x, y));
    });
  }

  private static Matcher parse(String fn, String s, int pos) throws BuiltinException {
    Matcher m = SEMVER.matcher(s);
    if (!m.matches()) throw BuiltinException.failure(fn, "operand " + pos + ": string " + GoFormat.quote(s, false) + " is not a valid SemVer");
    return m;
  }

  static int compare(Matcher x, Matcher y) {
    for (int g = 1; g <= 3; g++) {
      int c = new BigInteger(x.group(g)).compareTo(new BigInteger(y.group(g)));
      if (c != 0) return Integer.signum(c);
    }
    String px = x.group(4);
    String py = y.group(4);
    if (px == null && py == null) return 0;
    if (px == null) return 1;
    if (py == null) return -1;
    String[] ix = px.split("\\.");
    String[] iy = py.split("\\.");
    for (int i = 0; i < Math.min(ix.length, iy.length); i++) {
      boolean nx = ix[i].matches("\\d+");
      boolean ny = iy[i].matches("\\d+");
      int c;
      if (nx && ny) c = new BigInteger(ix[i]).compareTo(new BigInteger(iy[i]));
      else if (nx) c = -1;
      else if (ny) c = 1;
      else c = ix[i].compareTo(iy[i]);
      if (c != 0) return Integer.signum(c);
    }
    return Integer.compare(ix.length, iy.length);
  }
}
