package io.portcullis.gateway.http;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of an upload chunk: {@code <first>-<last>}, optionally written
 * {@code bytes <first>-<last>/<total or *>} (or {@code bytes=}) as some clients do.
 *
 * @param first first byte of the chunk in the upload, inclusive
 * @param last last byte, inclusive
 */
public record ContentRange(long first, long last) {
  private static final Pattern GRAMMAR = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

  /** The number of bytes the chunk holds. */
  public long length() { return last - first + 1; }

  /**
   * Parses the header of a PATCH; null when there is none. Throws 416 {@code BLOB_UPLOAD_INVALID} when it
   * is malformed, ends before it starts, or names offsets beyond what a file can hold.
   */
  public static ContentRange parse(String header) {
    if (header == null || header.isEmpty()) return null;
    Matcher m = GRAMMAR.matcher(header.trim());
    if (!m.matches()) throw invalid(header, "Content-Range must be <start>-<end>");
    long first = offset(m.group(1), header);
    long last = offset(m.group(2), header);
    if (last < first) throw invalid(header, "Content-Range ends before it starts");
    if (last == Long.MAX_VALUE) throw invalid(header, "Content-Range is beyond the largest blob size");
    return new ContentRange(first, last);
  }

  /** The start of the range of a PUT's last chunk, or -1 when the header is absent or unusable (it is then ignored). */
  public static long startOrUnknown(String header) {
    if (header == null) return -1;
    Matcher m = GRAMMAR.matcher(header.trim());
    if (!m.matches()) return -1;
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long offset(String digits, String header) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) { // only digits, so: too large for a long
      throw invalid(header, "Content-Range is beyond the largest blob size");
    }
  }

  private static RegistryException invalid(String header, String why) {
    return RegistryException.of(ErrorCode.BLOB_UPLOAD_INVALID, why, Map.of("Content-Range", header)).withStatus(416);
  }
}
