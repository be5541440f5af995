package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import java.math.BigInteger;
import java.util.Random;

/** uuid.rfc4122 (random, cached per query by the evaluator) and uuid.parse. */
final class UuidBuiltins {
  private UuidBuiltins() {}

  /** 100-ns intervals between 1582-10-15 and 1970-01-01. */
  private static final long GREGORIAN_OFFSET = 0x01B21DD213814000L;

  static void register(BuiltinRegistry.Builder b) {
    b.add(new Builtin("uuid.rfc4122", 1, true, (ctx, a) -> {
      string("uuid.rfc4122", a, 0);
      Random r = ctx.random();
      byte[] u = new byte[16];
      r.nextBytes(u);
      u[6] = (byte) ((u[6] & 0x0f) | 0x40);
      u[8] = (byte) ((u[8] & 0x3f) | 0x80);
      String hex = CryptoBuiltins.hex(u);
      return str(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
    }));
    b.add("uuid.parse", 1, (ctx, a) -> {
      if (!(a.get(0) instanceof StringValue s)) return null;
      byte[] u = parse(s.value());
      if (u == null) return null;
      int version = (u[6] & 0xff) >> 4;
      ObjectValue.Builder o = ObjectValue.builder();
      o.put("version", NumberValue.of(version));
      o.put("variant", str(variant(u[8] & 0xff)));
      if (version == 1 || version == 2) {
        long timeLow = ((u[0] & 0xffL) << 24) | ((u[1] & 0xffL) << 16) | ((u[2] & 0xffL) << 8) | (u[3] & 0xffL);
        long timeMid = ((u[4] & 0xffL) << 8) | (u[5] & 0xffL);
        long timeHi = ((u[6] & 0x0fL) << 8) | (u[7] & 0xffL);
        long ts = (timeHi << 48) | (timeMid << 32) | timeLow;
        o.put("time", NumberValue.of(BigInteger.valueOf(ts - GREGORIAN_OFFSET).multiply(BigInteger.valueOf(100))));
        o.put("clocksequence", NumberValue.of(((u[8] & 0x3f) << 8) | (u[9] & 0xff)));
        StringBuilder node = new StringBuilder();
        for (int i = 10; i < 16; i++) {
          if (i > 10) node.append('-');
          node.append(String.format("%02x", u[i] & 0xff));
        }
        o.put("nodeid", str(node.toString()));
        int first = u[10] & 0xff;
        o.put("macvariables", str(((first & 0x02) != 0 ? "local" : "global") + ":" + ((first & 0x01) != 0 ? "multicast" : "unicast")));
        if (version == 2) {
          int domain = u[9] & 0xff;
          o.put("domain", str(switch (domain) {
            case 0 -> "Person";
            case 1 -> "Group";
            case 2 -> "Org";
            default -> "Domain" + domain;
          }));
          o.put("id", NumberValue.of(timeLow));
        }
      }
      return o.build();
    });
  }

  private static String variant(int b) {
    if ((b & 0x80) == 0) return "Reserved";
    if ((b & 0xc0) == 0x80) return "RFC4122";
    if ((b & 0xe0) == 0xc0) return "Microsoft";
    return "Future";
  }

  /** google/uuid's accepted forms: canonical, urn:uuid:, {braced}, or 32 hex digits. */
  private static byte[] parse(String s) {
    String t = s;
    if (t.length() == 45 && t.regionMatches(true, 0, "urn:uuid:", 0, 9)) t = t.substring(9);
    else if (t.length() == 38 && t.startsWith("{") && t.endsWith("}")) t = t.substring(1, 37);
    String hex;
    if (t.length() == 36) {
      if (t.charAt(8) != '-' || t.charAt(13) != '-' || t.charAt(18) != '-' || t.charAt(23) != '-') return null;
      hex = t.substring(0, 8) + t.substring(9, 13) + t.substring(14, 18) + t.substring(19, 23) + t.substring(24);
    } else if (t.length() == 32) {
      hex = t;
    } else {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 16; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) return null;
      out[i] = (byte) (hi * 16 + lo);
    }
    return out;
  }
}
