package io.portcullis.sbom.index;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two lookup keys of a package URL, normalised the same way for stored rows and for queries:
 * {@code pkg:npm/%40angular/core@17.0.1?foo=bar#sub} gives base {@code pkg:npm/@angular/core} and versioned
 * {@code pkg:npm/@angular/core@17.0.1}. Qualifiers and subpath are dropped, percent-escapes decoded, the
 * scheme and type lower-cased.
 *
 * @param base the purl without version, qualifiers and subpath
 * @param versioned base plus {@code @version}; null when the purl has no version
 * @param version the decoded version; null when absent
 */
public record PackageUrlKey(String base, String versioned, String version) {

  /** Parses a purl; null when the text is not one ("pkg:" + type + "/" + name at least). */
  public static PackageUrlKey of(String purl) {
    if (purl == null) {
      return null;
    }
    String p = purl.strip();
    int hash = p.indexOf('#');
    if (hash >= 0) {
      p = p.substring(0, hash);
    }
    int query = p.indexOf('?');
    if (query >= 0) {
      p = p.substring(0, query);
    }
    if (p.length() < 5 || !p.substring(0, 4).equalsIgnoreCase("pkg:")) {
      return null;
    }
    String rest = p.substring(4);
    while (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return null;
    }
    String type = rest.substring(0, slash).toLowerCase(Locale.ROOT);
    String path = rest.substring(slash + 1);
    String version = null;
    int at = path.lastIndexOf('@');
    if (at > path.lastIndexOf('/') && at > 0) {
      version = decode(path.substring(at + 1));
      path = path.substring(0, at);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return null;
    }
    String base = "pkg:" + type + "/" + decode(path);
    boolean hasVersion = version != null && !version.isEmpty();
    return new PackageUrlKey(base, hasVersion ? base + "@" + version : null, hasVersion ? version : null);
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
