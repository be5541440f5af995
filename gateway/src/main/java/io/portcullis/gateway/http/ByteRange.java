package io.portcullis.gateway.http;

import java.util.Optional;

/**
 * One satisfiable byte range of a blob, from a {@code Range: bytes=a-b} request header (single
 * ranges only; {@code a-}, and the suffix form {@code -n}).
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
public record ByteRange(long first, long last) {
  public long length() { return last - first + 1; }

  /**
   * The range asked for, empty when there is no (usable) Range header; throws 416 when the range
   * cannot be satisfied for a blob of {@code size} bytes.
   */
  public static Optional<ByteRange> fromHeader(String header, long size) {
    if (header == null || !header.startsWith("bytes=")) return Optional.empty();
    String spec = header.substring("bytes=".length()).trim();
    if (spec.contains(",")) return Optional.empty(); // multiple ranges: serve the whole blob
    int dash = spec.indexOf('-');
    if (dash < 0) return Optional.empty();
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long first;
      long last;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0) throw unsatisfiable(size);
        first = Math.max(0, size - suffix);
        last = size - 1;
      } else {
        first = Long.parseLong(a);
        last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      }
      if (first < 0 || first >= size || last < first) throw unsatisfiable(size);
      return Optional.of(new ByteRange(first, last));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static RegistryException unsatisfiable(long size) {
    return RegistryException.of(ErrorCode.BLOB_UNKNOWN, "the requested range is not satisfiable for a blob of " + size + " bytes")
        .withStatus(416)
        .withHeader("Content-Range", "bytes */" + size);
  }
}
