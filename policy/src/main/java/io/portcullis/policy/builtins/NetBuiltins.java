package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** net.cidr_* and net.lookup_ip_addr (literal addresses and localhost only; no DNS). */
final class NetBuiltins {
  private NetBuiltins() {}

  /** An address or network: value, width in bits (32 or 128) and prefix length. */
  record Net(BigInteger address, int bits, int prefix) {
    BigInteger first() { return address.shiftRight(bits - prefix).shiftLeft(bits - prefix); }

    BigInteger last() { return first().add(BigInteger.ONE.shiftLeft(bits - prefix)).subtract(BigInteger.ONE); }

    boolean contains(BigInteger ip, int ipBits) {
      return ipBits == bits && ip.compareTo(first()) >= 0 && ip.compareTo(last()) <= 0;
    }

    String cidr() { return format(first(), bits) + "/" + prefix; }
  }

  private static final int MAX_EXPAND_BITS = 24;

  static void register(BuiltinRegistry.Builder b) {
    b.add("net.cidr_contains", 2, (ctx, a) -> {
      Net outer = cidr("net.cidr_contains", string("net.cidr_contains", a, 0));
      Net inner = ipOrCidr("net.cidr_contains", string("net.cidr_contains", a, 1));
      return BooleanValue.of(outer.contains(inner.first(), inner.bits()) && outer.contains(inner.last(), inner.bits()));
    });
    b.add("net.cidr_intersects", 2, (ctx, a) -> {
      Net x = cidr("net.cidr_intersects", string("net.cidr_intersects", a, 0));
      Net y = cidr("net.cidr_intersects", string("net.cidr_intersects", a, 1));
      return BooleanValue.of(x.contains(y.first(), y.bits()) || y.contains(x.first(), x.bits()));
    });
    b.add("net.cidr_is_valid", 1, (ctx, a) -> {
      if (!(a.get(0) instanceof StringValue s)) return BooleanValue.FALSE;
      return BooleanValue.of(parseCidr(s.value()) != null);
    });
    b.add("net.cidr_expand", 1, (ctx, a) -> {
      Net n = cidr("net.cidr_expand", string("net.cidr_expand", a, 0));
      if (n.bits() - n.prefix() > MAX_EXPAND_BITS) throw BuiltinException.failure("net.cidr_expand", "CIDR too large to expand");
      TreeSet<Value> out = new TreeSet<>();
      for (BigInteger ip = n.first(); ip.compareTo(n.last()) <= 0; ip = ip.add(BigInteger.ONE)) out.add(str(format(ip, n.bits())));
      return SetValue.of(out);
    });
    b.add("net.cidr_merge", 1, NetBuiltins::merge);
    b.add("net.cidr_contains_matches", 2, NetBuiltins::containsMatches);
    b.add("net.lookup_ip_addr", 1, (ctx, a) -> {
      String name = string("net.lookup_ip_addr", a, 0);
      Net literal = parseIp(name);
      if (literal != null) return SetValue.of(str(format(literal.address(), literal.bits())));
      if (!name.equalsIgnoreCase("localhost")) {
        throw BuiltinException.failure("net.lookup_ip_addr", "lookup " + name + ": DNS lookups are not supported");
      }
      TreeSet<Value> out = new TreeSet<>();
      try {
        for (InetAddress addr : InetAddress.getAllByName("localhost")) {
          Net n = parseIp(addr.getHostAddress().replaceFirst("%.*$", ""));
          if (n != null) out.add(str(format(n.address(), n.bits())));
        }
      } catch (UnknownHostException e) {
        throw BuiltinException.failure("net.lookup_ip_addr", "lookup " + name + ": no such host");
      }
      return SetValue.of(out);
    });
  }

  private static Net cidr(String fn, String s) throws BuiltinException {
    Net n = parseCidr(s);
    if (n == null) throw BuiltinException.failure(fn, "invalid CIDR address: " + s);
    return n;
  }

  private static Net ipOrCidr(String fn, String s) throws BuiltinException {
    Net ip = parseIp(s);
    if (ip != null) return ip;
    Net n = parseCidr(s);
    if (n == null) throw BuiltinException.failure(fn, "not a valid textual representation of an IP address or CIDR: " + s);
    return n;
  }

  static Net parseCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) return null;
    Net ip = parseIp(s.substring(0, slash));
    if (ip == null) return null;
    String p = s.substring(slash + 1);
    if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
    if (p.length() > 1 && p.charAt(0) == '0') return null;
    int prefix = Integer.parseInt(p);
    if (prefix > ip.bits()) return null;
    return new Net(ip.address(), ip.bits(), prefix);
  }

  /** Parses an IPv4 or IPv6 literal as a full-length network, or null. */
  static Net parseIp(String s) {
    if (s.indexOf(':') < 0) {
      BigInteger v = parseIpv4(s);
      return v == null ? null : new Net(v, 32, 32);
    }
    BigInteger v = parseIpv6(s);
    return v == null ? null : new Net(v, 128, 128);
  }

  private static BigInteger parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
      if (p.length() > 1 && p.charAt(0) == '0') return null;
      int octet = Integer.parseInt(p);
      if (octet > 255) return null;
      v = v * 256 + octet;
    }
    return BigInteger.valueOf(v);
  }

  private static BigInteger parseIpv6(String s) {
    int zone = s.indexOf('%');
    if (zone >= 0) return null;
    List<Integer> head = new ArrayList<>();
    List<Integer> tail = new ArrayList<>();
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
    String left = dbl >= 0 ? s.substring(0, dbl) : s;
    String right = dbl >= 0 ? s.substring(dbl + 2) : "";
    if (!groups(left, head, dbl < 0 || right.isEmpty())) return null;
    if (dbl >= 0 && !groups(right, tail, true)) return null;
    int total = head.size() + tail.size();
    if (dbl < 0 && total != 8) return null;
    if (dbl >= 0 && total > 7) return null;
    BigInteger v = BigInteger.ZERO;
    for (int g : head) v = v.shiftLeft(16).or(BigInteger.valueOf(g));
    for (int i = 0; i < 8 - total; i++) v = v.shiftLeft(16);
    for (int g : tail) v = v.shiftLeft(16).or(BigInteger.valueOf(g));
    return v;
  }

  /** Parses colon-separated hex groups (the last may be an IPv4 address, which adds two groups). */
  private static boolean groups(String s, List<Integer> out, boolean mayEndWithIpv4) {
    if (s.isEmpty()) return true;
    String[] parts = s.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && mayEndWithIpv4 && p.contains(".")) {
        BigInteger v4 = parseIpv4(p);
        if (v4 == null) return false;
        out.add(v4.intValue() >>> 16);
        out.add(v4.intValue() & 0xffff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) return false;
      try {
        out.add(Integer.parseInt(p, 16));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  /** Go's IP.String: dotted quad, or RFC 5952 IPv6 (longest run of 2+ zero groups compressed). */
  static String format(BigInteger v, int bits) {
    if (bits == 32) {
      long l = v.longValue();
      return (l >> 24 & 255) + "." + (l >> 16 & 255) + "." + (l >> 8 & 255) + "." + (l & 255);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = v.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      long l = v.longValue() & 0xffffffffL;
      return "::ffff:" + format(BigInteger.valueOf(l), 32);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** An address range to merge; text is the network as written when it stays unmerged. */
  private record Range(BigInteger first, BigInteger last, int bits, String text) {}

  /**
   * OPA's cidr_merge: IPv4 addresses without a prefix get their classful default mask (and keep
   * their unmasked address when not merged), ranges are sorted by (last, first) and merged from the
   * end when they touch or overlap; merged ranges are re-expressed as minimal CIDRs.
   */
  private static Value merge(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    String fn = "net.cidr_merge";
    List<Value> items;
    if (a.get(0) instanceof ArrayValue arr) items = arr.elements();
    else if (a.get(0) instanceof SetValue set) items = new ArrayList<>(set.members());
    else throw BuiltinException.failure(fn, "operand must be an array");
    List<Range> ranges = new ArrayList<>();
    for (Value item : items) {
      if (!(item instanceof StringValue s)) throw BuiltinException.failure(fn, "element must be string");
      Net ip = parseIp(s.value());
      if (ip != null) {
        if (ip.bits() == 128) throw BuiltinException.failure(fn, "IPv6 invalid: needs prefix length");
        int firstOctet = ip.address().shiftRight(24).intValue();
        int prefix = firstOctet < 0x80 ? 8 : firstOctet < 0xC0 ? 16 : 24;
        Net n = new Net(ip.address(), 32, prefix);
        ranges.add(new Range(n.first(), n.last(), 32, format(ip.address(), 32) + "/" + prefix));
        continue;
      }
      Net n = parseCidr(s.value());
      if (n == null) throw BuiltinException.failure(fn, "invalid CIDR address: " + s.value());
      ranges.add(new Range(n.first(), n.last(), n.bits(), n.cidr()));
    }
    ranges.sort((x, y) -> {
      int c = Integer.compare(x.bits(), y.bits());
      if (c != 0) return c;
      c = x.last().compareTo(y.last());
      return c != 0 ? c : x.first().compareTo(y.first());
    });
    for (int i = ranges.size() - 1; i > 0; i--) {
      Range cur = ranges.get(i);
      Range prev = ranges.get(i - 1);
      if (cur.bits() != prev.bits()) continue;
      if (cur.first().subtract(BigInteger.ONE).compareTo(prev.last()) <= 0) {
        BigInteger first = prev.first().min(cur.first());
        ranges.set(i - 1, new Range(first, cur.last(), cur.bits(), null));
        ranges.remove(i);
      }
    }
    TreeSet<Value> out = new TreeSet<>();
    for (Range r : ranges) {
      if (r.text() != null) out.add(str(r.text()));
      else for (String c : rangeToCidrs(r.first(), r.last(), r.bits())) out.add(str(c));
    }
    return SetValue.of(out);
  }

  /** The minimal list of CIDRs covering [first, last]. */
  private static List<String> rangeToCidrs(BigInteger first, BigInteger last, int bits) {
    List<String> out = new ArrayList<>();
    BigInteger cur = first;
    while (cur.compareTo(last) <= 0) {
      int host = cur.signum() == 0 ? bits : cur.getLowestSetBit();
      host = Math.min(host, bits);
      while (host > 0 && cur.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE).compareTo(last) > 0) host--;
      out.add(format(cur, bits) + "/" + (bits - host));
      cur = cur.add(BigInteger.ONE.shiftLeft(host));
    }
    return out;
  }

  /** The (key, cidr-or-ip) entries of a cidr_contains_matches operand. */
  private static List<Value[]> entries(String fn, List<Value> a, int i) throws BuiltinException {
    Value v = a.get(i);
    List<Value[]> out = new ArrayList<>();
    if (v instanceof StringValue s) {
      out.add(new Value[] {s, s});
      return out;
    }
    if (v instanceof ArrayValue arr) {
      for (int k = 0; k < arr.size(); k++) out.add(new Value[] {NumberValue.of(k), address(fn, i, arr.get(k))});
    } else if (v instanceof SetValue set) {
      for (Value m : set.members()) out.add(new Value[] {m, address(fn, i, m)});
    } else if (v instanceof ObjectValue obj) {
      for (Map.Entry<Value, Value> e : obj.entries().entrySet()) out.add(new Value[] {e.getKey(), address(fn, i, e.getValue())});
    }
    return out;
  }

  private static Value address(String fn, int i, Value element) throws BuiltinException {
    if (element instanceof StringValue) return element;
    if (element instanceof ArrayValue arr && arr.size() > 0 && arr.get(0) instanceof StringValue) return arr.get(0);
    throw BuiltinException.failure(fn, "operand " + (i + 1) + ": element must be string or non-empty array");
  }

  private static Value containsMatches(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    String fn = "net.cidr_contains_matches";
    List<Value[]> cidrs = entries(fn, a, 0);
    List<Value[]> targets = entries(fn, a, 1);
    TreeSet<Value> out = new TreeSet<>();
    for (Value[] c : cidrs) {
      Net outer = cidr("net.cidr_contains", ((StringValue) c[1]).value());
      for (Value[] t : targets) {
        Net inner = ipOrCidr("net.cidr_contains", ((StringValue) t[1]).value());
        if (outer.contains(inner.first(), inner.bits()) && outer.contains(inner.last(), inner.bits())) {
          out.add(ArrayValue.of(c[0], t[0]));
        }
      }
    }
    return SetValue.of(out);
  }
}
