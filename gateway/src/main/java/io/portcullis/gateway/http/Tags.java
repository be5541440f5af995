package io.portcullis.gateway.http;

import java.util.regex.Pattern;

/** The distribution-spec tag grammar. */
public final class Tags {
  private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private Tags() {}

  public static boolean isValid(String tag) { return tag != null && GRAMMAR.matcher(tag).matches(); }

  /** Returns the tag when valid, else throws MANIFEST_INVALID naming it. */
  public static String validate(String tag) {
    if (!isValid(tag)) {
      throw RegistryException.of(ErrorCode.MANIFEST_INVALID,
          "invalid tag: tags are 1 to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'",
          java.util.Map.of("tag", tag == null ? "" : tag));
    }
    return tag;
  }
}
