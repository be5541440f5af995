package io.portcullis.sbom.license;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns the ways SBOMs state licenses into SPDX license expressions, and reads license ids back out of them. */
public final class LicenseExpressions {
  private LicenseExpressions() {}

  /** A CycloneDX {@code license.id}: the canonical SPDX id when listed, else the id as written. */
  public static String fromId(String id) {
    if (id == null || id.isBlank()) {
      return null;
    }
    String trimmed = id.strip();
    return SpdxLibrary.canonicalLicenseId(trimmed).orElse(trimmed);
  }

  /**
   * A CycloneDX {@code license.name} (free text): the canonical SPDX id when the name is a listed id, else
   * {@code LicenseRef-} followed by the name reduced to the characters an SPDX id may hold.
   */
  public static String fromName(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String trimmed = name.strip();
    var listed = SpdxLibrary.canonicalLicenseId(trimmed);
    if (listed.isPresent()) {
      return listed.get();
    }
    if (trimmed.startsWith("LicenseRef-") && trimmed.matches("LicenseRef-[A-Za-z0-9.\\-]+")) {
      return trimmed;
    }
    String idString = trimmed.replaceAll("[^A-Za-z0-9.\\-]+", "-").replaceAll("-{2,}", "-");
    idString = idString.replaceAll("^-+|-+$", "");
    return idString.isEmpty() ? null : "LicenseRef-" + idString;
  }

  /**
   * An expression as written (CycloneDX {@code expression}, SPDX {@code licenseDeclared}): whitespace
   * collapsed and one pair of parentheses around the whole expression removed. Null for blank input and for
   * the SPDX placeholders NOASSERTION and NONE.
   */
  public static String normalise(String expression) {
    if (expression == null) {
      return null;
    }
    String e = expression.strip().replaceAll("\\s+", " ");
    while (e.length() > 1 && e.charAt(0) == '(' && closingParen(e, 0) == e.length() - 1) {
      e = e.substring(1, e.length() - 1).strip();
    }
    if (e.isEmpty() || e.equalsIgnoreCase("NOASSERTION") || e.equalsIgnoreCase("NONE")) {
      return null;
    }
    return e;
  }

  private static int closingParen(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * The license ids an expression mentions, in order, without operators and without the exception after
   * {@code WITH}: {@code (GPL-2.0-only WITH Classpath-exception-2.0 OR MIT)} gives GPL-2.0-only, MIT.
   */
  public static List<String> licenseIds(String expression) {
    Set<String> ids = new LinkedHashSet<>();
    if (expression == null) {
      return List.of();
    }
    String[] tokens = expression.replace("(", " ").replace(")", " ").strip().split("\\s+");
    boolean afterWith = false;
    for (String token : tokens) {
      if (token.isEmpty()) {
        continue;
      }
      String upper = token.toUpperCase(Locale.ROOT);
      if (upper.equals("AND") || upper.equals("OR")) {
        afterWith = false;
        continue;
      }
      if (upper.equals("WITH")) {
        afterWith = true;
        continue;
      }
      if (afterWith) {
        afterWith = false;
        continue;
      }
      if (upper.equals("NOASSERTION") || upper.equals("NONE")) {
        continue;
      }
      ids.add(token);
    }
    return new ArrayList<>(ids);
  }
}
