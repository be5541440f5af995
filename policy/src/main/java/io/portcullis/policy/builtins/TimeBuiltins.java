package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** time.* builtins; timestamps are int64 nanoseconds since the epoch, as in Go. */
final class TimeBuiltins {
  private TimeBuiltins() {}

  private static final BigInteger MIN_NS = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

  /** A time with the layout requested by its operand. */
  private record Stamp(ZonedDateTime time, String layout) {}

  static void register(BuiltinRegistry.Builder b) {
    b.add(new Builtin("time.now_ns", 0, true, (ctx, a) -> {
      Instant now = ctx.queryStartTime();
      return NumberValue.of(BigInteger.valueOf(now.getEpochSecond()).multiply(BILLION).add(BigInteger.valueOf(now.getNano())));
    }));
    b.add("time.parse_ns", 2, (ctx, a) -> {
      String layout = GoTime.namedLayout(string("time.parse_ns", a, 0));
      return parsed("time.parse_ns", layout, string("time.parse_ns", a, 1));
    });
    b.add("time.parse_rfc3339_ns", 1, (ctx, a) -> parsed("time.parse_rfc3339_ns", GoTime.RFC3339, string("time.parse_rfc3339_ns", a, 0)));
    b.add("time.parse_duration_ns", 1, (ctx, a) -> NumberValue.of(parseDuration("time.parse_duration_ns", string("time.parse_duration_ns", a, 0))));
    b.add("time.date", 1, (ctx, a) -> {
      ZonedDateTime t = stamp("time.date", a.get(0)).time();
      return ArrayValue.of(NumberValue.of(t.getYear()), NumberValue.of(t.getMonthValue()), NumberValue.of(t.getDayOfMonth()));
    });
    b.add("time.clock", 1, (ctx, a) -> {
      ZonedDateTime t = stamp("time.clock", a.get(0)).time();
      return ArrayValue.of(NumberValue.of(t.getHour()), NumberValue.of(t.getMinute()), NumberValue.of(t.getSecond()));
    });
    b.add("time.weekday", 1, (ctx, a) -> str(stamp("time.weekday", a.get(0)).time().getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US)));
    b.add("time.format", 1, (ctx, a) -> {
      Stamp s = stamp("time.format", a.get(0));
      return str(GoTime.format(s.time(), s.layout()));
    });
    b.add("time.add_date", 4, (ctx, a) -> {
      ZonedDateTime t = stamp("time.add_date", a.get(0)).time();
      long years = smallLong("time.add_date", a, 1);
      long months = smallLong("time.add_date", a, 2);
      long days = smallLong("time.add_date", a, 3);
      // Go's AddDate normalises: add to the fields, then roll over (Jan 31 + 1 month = Mar 3).
      long month0 = t.getMonthValue() - 1 + months;
      long year = t.getYear() + years + Math.floorDiv(month0, 12);
      try {
        LocalDate date = LocalDate.of((int) year, (int) Math.floorMod(month0, 12) + 1, 1).plusDays(t.getDayOfMonth() - 1 + days);
        ZonedDateTime r = ZonedDateTime.of(date, t.toLocalTime(), t.getZone());
        BigInteger ns = BigInteger.valueOf(r.toEpochSecond()).multiply(BILLION).add(BigInteger.valueOf(r.getNano()));
        if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) throw BuiltinException.failure("time.add_date", "time outside of valid range");
        return NumberValue.of(ns);
      } catch (DateTimeException | ArithmeticException e) {
        throw BuiltinException.failure("time.add_date", "time outside of valid range");
      }
    });
    b.add("time.diff", 2, (ctx, a) -> {
      ZonedDateTime x = stamp("time.diff", a.get(0)).time();
      ZonedDateTime y = stamp("time.diff", a.get(1)).time().withZoneSameInstant(x.getZone());
      if (x.isAfter(y)) {
        ZonedDateTime tmp = x;
        x = y;
        y = tmp;
      }
      int year = y.getYear() - x.getYear();
      int month = y.getMonthValue() - x.getMonthValue();
      int day = y.getDayOfMonth() - x.getDayOfMonth();
      int hour = y.getHour() - x.getHour();
      int min = y.getMinute() - x.getMinute();
      int sec = y.getSecond() - x.getSecond();
      if (sec < 0) { sec += 60; min--; }
      if (min < 0) { min += 60; hour--; }
      if (hour < 0) { hour += 24; day--; }
      if (day < 0) {
        day += x.toLocalDate().lengthOfMonth();
        month--;
      }
      if (month < 0) { month += 12; year--; }
      return ArrayValue.of(NumberValue.of(year), NumberValue.of(month), NumberValue.of(day), NumberValue.of(hour), NumberValue.of(min), NumberValue.of(sec));
    });
  }

  private static long smallLong(String fn, List<Value> a, int i) throws BuiltinException {
    BigInteger v = Operands.integer(fn, a, i);
    if (v.bitLength() > 31) throw BuiltinException.failure(fn, "time outside of valid range");
    return v.longValue();
  }

  private static Value parsed(String fn, String layout, String value) throws BuiltinException {
    try {
      BigInteger ns = GoTime.parse(layout, value, ZoneOffset.UTC);
      if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) throw BuiltinException.failure(fn, "time outside of valid range");
      return NumberValue.of(ns);
    } catch (GoTime.ParseError e) {
      throw BuiltinException.failure(fn, e.getMessage());
    } catch (DateTimeException e) {
      throw BuiltinException.failure(fn, "time outside of valid range");
    }
  }

  /** A number of ns, or [ns, zone] or [ns, zone, layout]. */
  private static Stamp stamp(String fn, Value v) throws BuiltinException {
    Value nsValue = v;
    ZoneId zone = ZoneOffset.UTC;
    String layout = GoTime.RFC3339_NANO;
    String expected = "either number (ns) or [number (ns), string (tz)]";
    if (v instanceof ArrayValue arr) {
      if (arr.size() == 0) throw BuiltinException.operandType(fn, 1, expected, v.typeName());
      nsValue = arr.get(0);
      if (arr.size() > 1) {
        if (!(arr.get(1) instanceof StringValue tz)) throw Operands.typeError(fn, 0, arr.get(1), "string");
        zone = zone(fn, tz.value());
      }
      if (arr.size() > 2) {
        if (!(arr.get(2) instanceof StringValue l)) throw Operands.typeError(fn, 0, arr.get(2), "string");
        layout = GoTime.namedLayout(l.value());
      }
    } else if (!(v instanceof NumberValue)) {
      throw BuiltinException.operandType(fn, 1, expected, v.typeName());
    }
    if (!(nsValue instanceof NumberValue n)) throw Operands.typeError(fn, 0, nsValue, "number");
    BigDecimal d = n.bigDecimal();
    BigInteger ns;
    try {
      ns = d.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw BuiltinException.failure(fn, "timestamp too big");
    }
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) throw BuiltinException.failure(fn, "timestamp too big");
    long l = ns.longValue();
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(l, 1_000_000_000L), Math.floorMod(l, 1_000_000_000L));
    return new Stamp(ZonedDateTime.ofInstant(instant, zone), layout);
  }

  private static ZoneId zone(String fn, String name) throws BuiltinException {
    if (name.isEmpty() || name.equals("UTC")) return ZoneOffset.UTC;
    if (name.equals("Local")) return ZoneId.systemDefault();
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw BuiltinException.failure(fn, "unknown time zone " + name);
    }
  }

  private static final Pattern DURATION_PART = Pattern.compile("(\\d*)(\\.(\\d*))?(ns|us|µs|μs|ms|s|m|h)");

  /** Go's time.ParseDuration. */
  static BigInteger parseDuration(String fn, String s) throws BuiltinException {
    String orig = s;
    BuiltinException invalid = BuiltinException.failure(fn, "time: invalid duration " + GoFormat.quote(orig, false));
    boolean neg = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) return BigInteger.ZERO;
    if (s.isEmpty()) throw invalid;
    BigDecimal total = BigDecimal.ZERO;
    Matcher m = DURATION_PART.matcher(s);
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        if (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.') {
          throw BuiltinException.failure(fn, "time: missing unit in duration " + GoFormat.quote(orig, false));
        }
        throw invalid;
      }
      String whole = m.group(1);
      String frac = m.group(3) == null ? "" : m.group(3);
      if (whole.isEmpty() && frac.isEmpty()) throw invalid;
      BigDecimal amount = new BigDecimal((whole.isEmpty() ? "0" : whole) + (frac.isEmpty() ? "" : "." + frac));
      long unit = switch (m.group(4)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total = total.add(amount.multiply(BigDecimal.valueOf(unit)));
      pos = m.end();
    }
    BigInteger ns = total.toBigInteger();
    if (neg) ns = ns.negate();
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) throw invalid;
    return ns;
  }
}
