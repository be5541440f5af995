package io.portcullis.gateway.auth;

import java.util.regex.Pattern;

/**
 * A glob over repository names: {@code *} matches within one path component, {@code **} matches any
 * number of components. {@code prod/**} matches {@code prod}, {@code prod/app} and
 * {@code prod/team/app}; {@code **} matches everything.
 */
public record RepositoryPattern(String glob, Pattern regex) {
  public static RepositoryPattern of(String glob) {
    if (glob == null || glob.isBlank()) throw new IllegalArgumentException("an empty repository pattern");
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      if (glob.startsWith("/**", i) && i + 3 == glob.length()) {
        re.append("(?:/.*)?");
        i += 3;
      } else if (glob.startsWith("**/", i)) {
        re.append("(?:.*/)?");
        i += 3;
      } else if (glob.startsWith("**", i)) {
        re.append(".*");
        i += 2;
      } else if (glob.charAt(i) == '*') {
        re.append("[^/]*");
        i++;
      } else {
        re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        i++;
      }
    }
    return new RepositoryPattern(glob, Pattern.compile(re.toString()));
  }

  public boolean matches(String repository) { return regex.matcher(repository).matches(); }

  /** Two patterns are equal when their globs are (Pattern itself has no equality). */
  @Override
  public boolean equals(Object o) { return o instanceof RepositoryPattern p && p.glob.equals(glob); }

  @Override
  public int hashCode() { return glob.hashCode(); }
}
