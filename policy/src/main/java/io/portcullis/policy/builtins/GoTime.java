package io.portcullis.policy.builtins;

import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for formatting and parsing. */
final class GoTime {
  private GoTime() {}

  static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
  static final String RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

  /** A parse failure with Go-like wording. */
  static final class ParseError extends Exception {
    ParseError(String message) { super(message, null, false, false); }
  }

  /** The layout for a Go constant name (RFC3339, Kitchen, ...) or the text itself. */
  static String namedLayout(String name) {
    return switch (name) {
      case "ANSIC" -> "Mon Jan _2 15:04:05 2006";
      case "UnixDate" -> "Mon Jan _2 15:04:05 MST 2006";
      case "RubyDate" -> "Mon Jan 02 15:04:05 -0700 2006";
      case "RFC822" -> "02 Jan 06 15:04 MST";
      case "RFC822Z" -> "02 Jan 06 15:04 -0700";
      case "RFC850" -> "Monday, 02-Jan-06 15:04:05 MST";
      case "RFC1123" -> "Mon, 02 Jan 2006 15:04:05 MST";
      case "RFC1123Z" -> "Mon, 02 Jan 2006 15:04:05 -0700";
      case "RFC3339" -> RFC3339;
      case "RFC3339Nano" -> RFC3339_NANO;
      default -> name;
    };
  }

  // Layout chunk kinds.
  private static final int LITERAL = 0;
  private static final int LONG_MONTH = 1;
  private static final int MONTH = 2;
  private static final int NUM_MONTH = 3;
  private static final int ZERO_MONTH = 4;
  private static final int LONG_WEEKDAY = 5;
  private static final int WEEKDAY = 6;
  private static final int DAY = 7;
  private static final int UNDER_DAY = 8;
  private static final int ZERO_DAY = 9;
  private static final int UNDER_YEAR_DAY = 10;
  private static final int ZERO_YEAR_DAY = 11;
  private static final int HOUR = 12;
  private static final int HOUR12 = 13;
  private static final int ZERO_HOUR12 = 14;
  private static final int MINUTE = 15;
  private static final int ZERO_MINUTE = 16;
  private static final int SECOND = 17;
  private static final int ZERO_SECOND = 18;
  private static final int LONG_YEAR = 19;
  private static final int YEAR = 20;
  private static final int PM = 21;
  private static final int LOWER_PM = 22;
  private static final int TZ = 23;
  private static final int ISO_TZ = 24; // Z07:00 family; variant in zoneStyle
  private static final int NUM_TZ = 25; // -07:00 family
  private static final int FRAC_ZERO = 26; // .000
  private static final int FRAC_NINE = 27; // .999

  /** One chunk: kind, length in the layout, and for zones/fractions a detail. */
  private record Chunk(int kind, int length, String detail) {}

  private static Chunk chunk(String l, int i) {
    char c = l.charAt(i);
    switch (c) {
      case 'J':
        if (l.startsWith("January", i)) return new Chunk(LONG_MONTH, 7, null);
        if (l.startsWith("Jan", i)) return new Chunk(MONTH, 3, null);
        break;
      case 'M':
        if (l.startsWith("Monday", i)) return new Chunk(LONG_WEEKDAY, 6, null);
        if (l.startsWith("Mon", i)) return new Chunk(WEEKDAY, 3, null);
        if (l.startsWith("MST", i)) return new Chunk(TZ, 3, null);
        break;
      case '0':
        if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
          return new Chunk(new int[] {ZERO_MONTH, ZERO_DAY, ZERO_HOUR12, ZERO_MINUTE, ZERO_SECOND, YEAR}[l.charAt(i + 1) - '1'], 2, null);
        }
        if (l.startsWith("002", i)) return new Chunk(ZERO_YEAR_DAY, 3, null);
        break;
      case '1':
        if (l.startsWith("15", i)) return new Chunk(HOUR, 2, null);
        return new Chunk(NUM_MONTH, 1, null);
      case '2':
        if (l.startsWith("2006", i)) return new Chunk(LONG_YEAR, 4, null);
        return new Chunk(DAY, 1, null);
      case '_':
        if (l.startsWith("_2", i)) {
          if (l.startsWith("_2006", i)) return new Chunk(LITERAL, 1, null);
          return new Chunk(UNDER_DAY, 2, null);
        }
        if (l.startsWith("__2", i)) return new Chunk(UNDER_YEAR_DAY, 3, null);
        break;
      case '3':
        return new Chunk(HOUR12, 1, null);
      case '4':
        return new Chunk(MINUTE, 1, null);
      case '5':
        return new Chunk(SECOND, 1, null);
      case 'P':
        if (l.startsWith("PM", i)) return new Chunk(PM, 2, null);
        break;
      case 'p':
        if (l.startsWith("pm", i)) return new Chunk(LOWER_PM, 2, null);
        break;
      case '-':
        for (String z : new String[] {"-07:00:00", "-070000", "-07:00", "-0700", "-07"}) {
          if (l.startsWith(z, i)) return new Chunk(NUM_TZ, z.length(), z.substring(1));
        }
        break;
      case 'Z':
        for (String z : new String[] {"Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"}) {
          if (l.startsWith(z, i)) return new Chunk(ISO_TZ, z.length(), z.substring(1));
        }
        break;
      case '.':
      case ',':
        if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
          char d = l.charAt(i + 1);
          int j = i + 1;
          while (j < l.length() && l.charAt(j) == d) j++;
          if (j >= l.length() || !Character.isDigit(l.charAt(j))) {
            return new Chunk(d == '0' ? FRAC_ZERO : FRAC_NINE, j - i, String.valueOf(c));
          }
        }
        break;
      default:
        break;
    }
    return new Chunk(LITERAL, 1, null);
  }

  static String format(ZonedDateTime t, String layout) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      Chunk ch = chunk(layout, i);
      switch (ch.kind()) {
        case LITERAL -> sb.append(layout.charAt(i));
        case LONG_MONTH -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
        case MONTH -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
        case NUM_MONTH -> sb.append(t.getMonthValue());
        case ZERO_MONTH -> sb.append(two(t.getMonthValue()));
        case LONG_WEEKDAY -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
        case WEEKDAY -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
        case DAY -> sb.append(t.getDayOfMonth());
        case UNDER_DAY -> sb.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
        case ZERO_DAY -> sb.append(two(t.getDayOfMonth()));
        case UNDER_YEAR_DAY -> sb.append(String.format("%3d", t.getDayOfYear()));
        case ZERO_YEAR_DAY -> sb.append(String.format("%03d", t.getDayOfYear()));
        case HOUR -> sb.append(two(t.getHour()));
        case HOUR12 -> sb.append(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
        case ZERO_HOUR12 -> sb.append(two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
        case MINUTE -> sb.append(t.getMinute());
        case ZERO_MINUTE -> sb.append(two(t.getMinute()));
        case SECOND -> sb.append(t.getSecond());
        case ZERO_SECOND -> sb.append(two(t.getSecond()));
        case LONG_YEAR -> {
          int y = t.getYear();
          sb.append(y < 0 ? "-" : "").append(String.format("%04d", Math.abs(y)));
        }
        case YEAR -> sb.append(two(Math.floorMod(t.getYear(), 100)));
        case PM -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
        case LOWER_PM -> sb.append(t.getHour() >= 12 ? "pm" : "am");
        case TZ -> {
          String name = zoneAbbreviation(t);
          sb.append(name);
        }
        case ISO_TZ, NUM_TZ -> {
          int off = t.getOffset().getTotalSeconds();
          if (ch.kind() == ISO_TZ && off == 0) {
            sb.append('Z');
          } else {
            sb.append(offset(off, ch.detail()));
          }
        }
        case FRAC_ZERO, FRAC_NINE -> {
          int digits = ch.length() - 1;
          String nanos = String.format("%09d", t.getNano()).substring(0, Math.min(9, digits));
          if (ch.kind() == FRAC_NINE) {
            int end = nanos.length();
            while (end > 0 && nanos.charAt(end - 1) == '0') end--;
            nanos = nanos.substring(0, end);
            if (!nanos.isEmpty()) sb.append(ch.detail()).append(nanos);
          } else {
            sb.append(ch.detail()).append(nanos);
          }
        }
        default -> sb.append(layout, i, i + ch.length());
      }
      i += ch.length();
    }
    return sb.toString();
  }

  private static String zoneAbbreviation(ZonedDateTime t) {
    ZoneId zone = t.getZone();
    if (zone instanceof ZoneOffset || zone.getId().equals("UTC") || zone.getId().equals("Z")) {
      int off = t.getOffset().getTotalSeconds();
      return off == 0 ? "UTC" : offset(off, "0700");
    }
    String name = zone.getDisplayName(TextStyle.SHORT, Locale.US);
    boolean dst = zone.getRules().isDaylightSavings(t.toInstant());
    java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("zzz", Locale.US);
    String abbr = f.format(t);
    if (abbr.startsWith("GMT") && abbr.length() > 3) return offset(t.getOffset().getTotalSeconds(), "0700");
    return abbr.isEmpty() ? (dst ? name : name) : abbr;
  }

  /** An offset in the style of "07:00", "0700", "07", "07:00:00" or "070000". */
  private static String offset(int seconds, String style) {
    String sign = seconds < 0 ? "-" : "+";
    int abs = Math.abs(seconds);
    int h = abs / 3600;
    int m = abs / 60 % 60;
    int s = abs % 60;
    return switch (style) {
      case "07" -> sign + two(h);
      case "0700" -> sign + two(h) + two(m);
      case "070000" -> sign + two(h) + two(m) + two(s);
      case "07:00:00" -> sign + two(h) + ":" + two(m) + ":" + two(s);
      default -> sign + two(h) + ":" + two(m);
    };
  }

  private static String two(int n) { return n < 10 ? "0" + n : Integer.toString(n); }

  /** Parses value with the layout; returns nanoseconds since the epoch (may exceed a long). */
  static BigInteger parse(String layout, String value, ZoneId defaultZone) throws ParseError {
    int year = 1;
    int month = 1;
    int day = 1;
    int yday = -1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long nanos = 0;
    boolean pm = false;
    boolean pmSet = false;
    Integer offsetSeconds = null;
    ZoneId zone = null;
    int i = 0;
    int v = 0;
    while (i < layout.length()) {
      Chunk ch = chunk(layout, i);
      if (ch.kind() == LITERAL) {
        if (v >= value.length() || value.charAt(v) != layout.charAt(i)) {
          int j = i;
          while (j < layout.length() && chunk(layout, j).kind() == LITERAL) j++;
          throw bad(layout, value, v, layout.substring(i, j));
        }
        v++;
        i++;
        continue;
      }
      int[] r;
      String elem = layout.substring(i, i + ch.length());
      switch (ch.kind()) {
        case LONG_MONTH, MONTH -> {
          int found = -1;
          for (java.time.Month mo : java.time.Month.values()) {
            String name = mo.getDisplayName(ch.kind() == LONG_MONTH ? TextStyle.FULL : TextStyle.SHORT, Locale.US);
            if (value.regionMatches(true, v, name, 0, name.length())) {
              found = mo.getValue();
              v += name.length();
              break;
            }
          }
          if (found < 0) throw bad(layout, value, v, elem);
          month = found;
        }
        case LONG_WEEKDAY, WEEKDAY -> {
          boolean ok = false;
          for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.getDisplayName(ch.kind() == LONG_WEEKDAY ? TextStyle.FULL : TextStyle.SHORT, Locale.US);
            if (value.regionMatches(true, v, name, 0, name.length())) {
              v += name.length();
              ok = true;
              break;
            }
          }
          if (!ok) throw bad(layout, value, v, elem);
        }
        case NUM_MONTH, ZERO_MONTH -> { r = number(value, v, ch.kind() == ZERO_MONTH ? 2 : 0, layout, elem); month = r[0]; v = r[1]; if (month < 1 || month > 12) throw range(value, "month"); }
        case DAY, ZERO_DAY, UNDER_DAY -> {
          if (ch.kind() == UNDER_DAY && v < value.length() && value.charAt(v) == ' ') v++;
          r = number(value, v, ch.kind() == ZERO_DAY ? 2 : 0, layout, elem); day = r[0]; v = r[1];
        }
        case ZERO_YEAR_DAY, UNDER_YEAR_DAY -> {
          while (ch.kind() == UNDER_YEAR_DAY && v < value.length() && value.charAt(v) == ' ') v++;
          r = number(value, v, ch.kind() == ZERO_YEAR_DAY ? 3 : 0, layout, elem); yday = r[0]; v = r[1];
        }
        case HOUR -> { r = number(value, v, 2, layout, elem); hour = r[0]; v = r[1]; if (hour > 23) throw range(value, "hour"); }
        case HOUR12, ZERO_HOUR12 -> { r = number(value, v, ch.kind() == ZERO_HOUR12 ? 2 : 0, layout, elem); hour = r[0]; v = r[1]; if (hour > 12) throw range(value, "hour"); }
        case MINUTE, ZERO_MINUTE -> { r = number(value, v, ch.kind() == ZERO_MINUTE ? 2 : 0, layout, elem); minute = r[0]; v = r[1]; if (minute > 59) throw range(value, "minute"); }
        case SECOND, ZERO_SECOND -> {
          r = number(value, v, ch.kind() == ZERO_SECOND ? 2 : 0, layout, elem);
          second = r[0];
          v = r[1];
          if (second > 59) throw range(value, "second");
          // a fractional second may follow even when the layout has none
          int next = i + ch.length();
          if (v + 1 < value.length() && (value.charAt(v) == '.' || value.charAt(v) == ',') && Character.isDigit(value.charAt(v + 1))
              && (next >= layout.length() || (chunk(layout, next).kind() != FRAC_ZERO && chunk(layout, next).kind() != FRAC_NINE))) {
            int j = v + 1;
            while (j < value.length() && Character.isDigit(value.charAt(j))) j++;
            nanos = fraction(value.substring(v + 1, j));
            v = j;
          }
        }
        case LONG_YEAR -> {
          if (v + 4 > value.length()) throw bad(layout, value, v, elem);
          try {
            year = Integer.parseInt(value.substring(v, v + 4));
          } catch (NumberFormatException e) {
            throw bad(layout, value, v, elem);
          }
          v += 4;
        }
        case YEAR -> {
          r = number(value, v, 2, layout, elem);
          year = r[0] >= 69 ? 1900 + r[0] : 2000 + r[0];
          v = r[1];
        }
        case PM, LOWER_PM -> {
          if (v + 2 > value.length()) throw bad(layout, value, v, elem);
          String p = value.substring(v, v + 2).toUpperCase(Locale.ROOT);
          if (p.equals("PM")) pm = true;
          else if (!p.equals("AM")) throw bad(layout, value, v, elem);
          pmSet = true;
          v += 2;
        }
        case TZ -> {
          if (value.startsWith("UTC", v)) {
            offsetSeconds = 0;
            v += 3;
          } else {
            int j = v;
            while (j < value.length() && Character.isUpperCase(value.charAt(j))) j++;
            if (j - v < 3) throw bad(layout, value, v, elem);
            if (value.startsWith("GMT", v)) offsetSeconds = 0;
            v = j;
          }
        }
        case ISO_TZ, NUM_TZ -> {
          if (ch.kind() == ISO_TZ && v < value.length() && value.charAt(v) == 'Z') {
            offsetSeconds = 0;
            v++;
          } else {
            r = parseOffset(value, v, ch.detail(), layout, elem);
            offsetSeconds = r[0];
            v = r[1];
          }
        }
        case FRAC_ZERO -> {
          int digits = ch.length() - 1;
          if (v + 1 + digits > value.length() || value.charAt(v) != layout.charAt(i)) throw bad(layout, value, v, elem);
          String f = value.substring(v + 1, v + 1 + digits);
          if (!f.chars().allMatch(Character::isDigit)) throw bad(layout, value, v, elem);
          nanos = fraction(f);
          v += 1 + digits;
        }
        case FRAC_NINE -> {
          if (v + 1 < value.length() && (value.charAt(v) == '.' || value.charAt(v) == ',') && Character.isDigit(value.charAt(v + 1))) {
            int j = v + 1;
            while (j < value.length() && Character.isDigit(value.charAt(j))) j++;
            nanos = fraction(value.substring(v + 1, j));
            v = j;
          }
        }
        default -> throw bad(layout, value, v, elem);
      }
      i += ch.length();
    }
    if (v < value.length()) throw new ParseError("parsing time " + GoFormat.quote(value, false) + ": extra text: " + GoFormat.quote(value.substring(v), false));
    if (pmSet) {
      if (pm && hour < 12) hour += 12;
      else if (!pm && hour == 12) hour = 0;
    }
    LocalDate date;
    try {
      if (yday >= 0) {
        date = LocalDate.ofYearDay(year, yday);
      } else {
        date = LocalDate.of(year, month, day);
      }
    } catch (java.time.DateTimeException e) {
      throw range(value, "day");
    }
    ZoneId z = offsetSeconds != null ? ZoneOffset.ofTotalSeconds(offsetSeconds) : (zone != null ? zone : defaultZone);
    ZonedDateTime t = ZonedDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), hour, minute, second, 0, z);
    return BigInteger.valueOf(t.toEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L)).add(BigInteger.valueOf(nanos));
  }

  private static long fraction(String digits) {
    String d = digits.length() > 9 ? digits.substring(0, 9) : digits;
    StringBuilder sb = new StringBuilder(d);
    while (sb.length() < 9) sb.append('0');
    return Long.parseLong(sb.toString());
  }

  private static int[] number(String value, int v, int fixed, String layout, String elem) throws ParseError {
    int j = v;
    if (fixed > 0) {
      if (v + fixed > value.length()) throw bad(layout, value, v, elem);
      for (j = v; j < v + fixed; j++) if (!Character.isDigit(value.charAt(j))) throw bad(layout, value, v, elem);
    } else {
      while (j < value.length() && Character.isDigit(value.charAt(j)) && j - v < 2) j++;
      if (j == v) throw bad(layout, value, v, elem);
    }
    return new int[] {Integer.parseInt(value.substring(v, j)), j};
  }

  private static int[] parseOffset(String value, int v, String style, String layout, String elem) throws ParseError {
    if (v >= value.length() || (value.charAt(v) != '+' && value.charAt(v) != '-')) throw bad(layout, value, v, elem);
    int sign = value.charAt(v) == '-' ? -1 : 1;
    int j = v + 1;
    int[] parts = new int[3];
    int count = style.equals("07") ? 1 : style.length() >= 6 ? 3 : 2;
    boolean colons = style.contains(":");
    for (int k = 0; k < count; k++) {
      if (k > 0 && colons) {
        if (j >= value.length() || value.charAt(j) != ':') throw bad(layout, value, v, elem);
        j++;
      }
      if (j + 2 > value.length() || !Character.isDigit(value.charAt(j)) || !Character.isDigit(value.charAt(j + 1))) throw bad(layout, value, v, elem);
      parts[k] = Integer.parseInt(value.substring(j, j + 2));
      j += 2;
    }
    return new int[] {sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]), j};
  }

  private static ParseError bad(String layout, String value, int v, String elem) {
    return new ParseError("parsing time " + GoFormat.quote(value, false) + " as " + GoFormat.quote(layout, false)
        + ": cannot parse " + GoFormat.quote(value.substring(Math.min(v, value.length())), false) + " as " + GoFormat.quote(elem, false));
  }

  private static ParseError range(String value, String what) {
    return new ParseError("parsing time " + GoFormat.quote(value, false) + ": " + what + " out of range");
  }
}
