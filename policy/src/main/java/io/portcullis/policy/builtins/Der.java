package io.portcullis.policy.builtins;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A minimal DER reader: one TLV element with access to its children and primitive values. */
final class Der {
  final int tag;
  final byte[] buf;
  final int start;
  final int contentStart;
  final int end;

  private Der(int tag, byte[] buf, int start, int contentStart, int end) {
    this.tag = tag;
    this.buf = buf;
    this.start = start;
    this.contentStart = contentStart;
    this.end = end;
  }

  /** Reads the element at offset. */
  static Der read(byte[] buf, int offset) {
    if (offset + 2 > buf.length) throw new IllegalArgumentException("truncated DER");
    int tag = buf[offset] & 0xff;
    int p = offset + 1;
    if ((tag & 0x1f) == 0x1f) throw new IllegalArgumentException("high tag numbers unsupported");
    int len = buf[p++] & 0xff;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 4) throw new IllegalArgumentException("bad DER length");
      len = 0;
      for (int i = 0; i < n; i++) len = (len << 8) | (buf[p++] & 0xff);
    }
    if (len < 0 || p + len > buf.length) throw new IllegalArgumentException("truncated DER");
    return new Der(tag, buf, offset, p, p + len);
  }

  static Der read(byte[] buf) { return read(buf, 0); }

  List<Der> children() {
    List<Der> out = new ArrayList<>();
    int p = contentStart;
    while (p < end) {
      Der d = read(buf, p);
      out.add(d);
      p = d.end;
    }
    return out;
  }

  Der child(int i) { return children().get(i); }

  byte[] content() { return Arrays.copyOfRange(buf, contentStart, end); }

  byte[] encoded() { return Arrays.copyOfRange(buf, start, end); }

  boolean isContext(int n) { return (tag & 0xc0) == 0x80 && (tag & 0x1f) == n; }

  BigInteger integer() { return new BigInteger(content()); }

  String string() { return new String(content(), tag == 0x1e ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8); }

  /** The arcs of an OBJECT IDENTIFIER. */
  List<Long> oid() {
    List<Long> arcs = new ArrayList<>();
    long v = 0;
    boolean first = true;
    for (int i = contentStart; i < end; i++) {
      v = (v << 7) | (buf[i] & 0x7f);
      if ((buf[i] & 0x80) == 0) {
        if (first) {
          long a = v < 80 ? v / 40 : 2;
          arcs.add(a);
          arcs.add(v - 40 * a);
          first = false;
        } else {
          arcs.add(v);
        }
        v = 0;
      }
    }
    return arcs;
  }

  String oidString() {
    StringBuilder sb = new StringBuilder();
    for (long a : oid()) {
      if (sb.length() > 0) sb.append('.');
      sb.append(a);
    }
    return sb.toString();
  }
}
