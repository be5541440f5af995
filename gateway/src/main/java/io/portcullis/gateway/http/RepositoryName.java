package io.portcullis.gateway.http;

import java.util.regex.Pattern;

/** Checks repository names against the distribution-spec grammar before anything touches storage. */
public final class RepositoryName {
  /** Path components separated by '/', each lower-case alphanumerics joined by '.', '_', '__' or dashes. */
  private static final Pattern GRAMMAR =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
  /** Clients limit host, port and name together to 255 characters; so do we for the name. */
  public static final int MAX_LENGTH = 255;

  private RepositoryName() {}

  /** Returns the name when valid, else throws NAME_INVALID saying why. */
  public static String validate(String name) {
    if (name == null || name.isEmpty()) throw invalid(name, "the repository name is empty");
    if (name.length() > MAX_LENGTH) throw invalid(name.substring(0, 64) + "...", "the repository name is longer than " + MAX_LENGTH + " characters");
    if (!GRAMMAR.matcher(name).matches()) {
      throw invalid(name, "repository names are lower-case path components of letters and digits, separated by '/', "
          + "with '.', '_', '__' or '-' inside a component");
    }
    return name;
  }

  /**
   * Refuses a request path that encodes a separator, a dot or a control character ({@code %2F},
   * {@code %2E}, {@code %5C}, {@code %00}...). The server decodes the path before routing, so such a
   * request would otherwise reach a handler as a different, valid-looking name. The error code names the
   * part of the path that holds it: an upload id ({@code BLOB_UPLOAD_UNKNOWN}, 404), a digest
   * ({@code DIGEST_INVALID}), a tag ({@code MANIFEST_INVALID}), else the repository name ({@code NAME_INVALID}).
   */
  public static void checkRawPath(String rawPath) {
    if (rawPath == null) return;
    String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
    for (String encoded : new String[] {"%2f", "%2e", "%5c", "%00", "%25"}) {
      if (lower.contains(encoded)) {
        String message = "the request path encodes '" + encoded + "'; repository names, references, digests and upload ids are written plainly";
        throw RegistryException.of(codeForPartOf(lower, lower.indexOf(encoded)), message, java.util.Map.of("path", rawPath));
      }
    }
  }

  /** Which error code fits an invalid character at {@code at} in a request path. */
  private static ErrorCode codeForPartOf(String path, int at) {
    int lastSlash = path.lastIndexOf('/');
    if (at < lastSlash || lastSlash < 0) return ErrorCode.NAME_INVALID;
    String parent = path.substring(0, lastSlash);
    String last = path.substring(lastSlash + 1);
    if (parent.endsWith("/blobs/uploads")) return ErrorCode.BLOB_UPLOAD_UNKNOWN;
    if (last.indexOf(':') > 0 || parent.endsWith("/blobs") || parent.endsWith("/referrers")) return ErrorCode.DIGEST_INVALID;
    return parent.endsWith("/manifests") ? ErrorCode.MANIFEST_INVALID : ErrorCode.NAME_INVALID;
  }

  private static RegistryException invalid(String name, String why) {
    return RegistryException.of(ErrorCode.NAME_INVALID, why, java.util.Map.of("name", name == null ? "" : name));
  }
}
