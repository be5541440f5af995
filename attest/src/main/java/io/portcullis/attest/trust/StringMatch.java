package io.portcullis.attest.trust;

import java.util.Objects;
import java.util.regex.Pattern;

/** An exact string or a regular expression that must match the whole value. */
public final class StringMatch {
  private final String exact;
  private final Pattern regex;

  private StringMatch(String exact, Pattern regex) {
    this.exact = exact;
    this.regex = regex;
  }

  public static StringMatch exact(String value) {
    return new StringMatch(Objects.requireNonNull(value), null);
  }

  /** @throws java.util.regex.PatternSyntaxException for an invalid expression (a configuration error) */
  public static StringMatch regex(String expression) {
    return new StringMatch(null, Pattern.compile(expression));
  }

  public boolean matches(String value) {
    if (value == null) {
      return false;
    }
    return exact != null ? exact.equals(value) : regex.matcher(value).matches();
  }

  @Override
  public String toString() {
    return exact != null ? exact : "/" + regex.pattern() + "/";
  }
}
