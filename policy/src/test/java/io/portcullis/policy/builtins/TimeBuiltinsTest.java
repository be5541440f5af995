package io.portcullis.policy.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** time.* against the values of OPA's time conformance cases. */
class TimeBuiltinsTest {
  static final BuiltinRegistry REGISTRY = BuiltinRegistry.standard();
  static final BuiltinContext CONTEXT = new BuiltinContext() {
    @Override public Instant queryStartTime() { return Instant.parse("2026-01-01T00:00:00Z"); }
    @Override public Random random() { return new Random(1); }
    @Override public void print(String line) {}
  };

  static Value call(String name, Value... args) throws BuiltinException {
    return REGISTRY.lookup(name).orElseThrow().implementation().call(CONTEXT, List.of(args));
  }

  static StringValue s(String v) { return new StringValue(v); }

  static NumberValue n(String v) { return NumberValue.parse(v); }

  static String text(Value v) { return Json.render(v); }

  @Test
  void parseNs() throws Exception {
    assertEquals("1496455200000000000", text(call("time.parse_ns", s("2006-01-02T15:04:05Z07:00"), s("2017-06-02T19:00:00-07:00"))));
    assertEquals("-9223372036854775808", text(call("time.parse_ns", s("2006-01-02T15:04:05Z07:00"), s("1677-09-21T00:12:43.145224192-00:00"))));
    assertEquals("9223372036854775807", text(call("time.parse_ns", s("2006-01-02T15:04:05Z07:00"), s("2262-04-11T23:47:16.854775807-00:00"))));
    assertEquals("1496455200000000000", text(call("time.parse_ns", s("01/02 03:04:05PM '06 -0700"), s("06/02 07:00:00PM '17 -0700"))));
    assertEquals("1496455200000000000", text(call("time.parse_ns", s("02 Jan 06 15:04 -0700"), s("02 Jun 17 19:00 -0700"))));
    assertEquals("1496455200000000000", text(call("time.parse_ns", s("RFC822Z"), s("02 Jun 17 19:00 -0700"))));
    BuiltinException e = assertThrows(BuiltinException.class,
        () -> call("time.parse_ns", s("2006-01-02T15:04:05Z07:00"), s("2262-04-11T23:47:16.854775808-00:00")));
    assertTrue(e.getMessage().contains("time outside of valid range"), e.getMessage());
    assertEquals("100000000", text(call("time.parse_duration_ns", s("100ms"))));
    assertEquals("5400000000000", text(call("time.parse_duration_ns", s("1h30m"))));
  }

  @Test
  void dateClockWeekday() throws Exception {
    assertEquals("[2018, 2, 5]", text(call("time.date", n("1517814000000000000"))));
    assertEquals("[2018, 2, 4]", text(call("time.date", ArrayValue.of(n("1517814000000000000"), s("America/Los_Angeles")))));
    assertEquals("[7, 0, 0]", text(call("time.clock", ArrayValue.of(n("1517832000000000000"), s("America/New_York")))));
    assertEquals("\"Monday\"", text(call("time.weekday", n("1517832000000000000"))));
    BuiltinException e = assertThrows(BuiltinException.class, () -> call("time.clock", n("1582977600000000000000")));
    assertTrue(e.getMessage().contains("timestamp too big"));
  }

  @Test
  void addDateAndDiff() throws Exception {
    assertEquals("1705257221593912000", text(call("time.add_date", n("1585852421593912000"), n("3"), n("9"), n("12"))));
    assertEquals("1551465221593912000", text(call("time.add_date", n("1585852421593912000"), n("-1"), n("-1"), n("-1"))));
    assertThrows(BuiltinException.class, () -> call("time.add_date", n("0"), n("2262"), n("1"), n("1")));
    assertThrows(BuiltinException.class, () -> call("time.add_date", n("-9223372036854775808"), n("0"), n("0"), n("-1")));
    Value a = call("time.parse_ns", s("2006-01-02"), s("2020-02-02"));
    Value b = call("time.parse_ns", s("2006-01-02"), s("2020-03-01"));
    assertEquals("[0, 0, 28, 0, 0, 0]", text(call("time.diff", a, b)));
    Value c = call("time.parse_ns", s("2006-01-02"), s("2004-02-29"));
    Value d = call("time.parse_ns", s("2006-01-02"), s("2005-03-01"));
    assertEquals("[1, 0, 1, 0, 0, 0]", text(call("time.diff", c, d)));
    Value now = call("time.now_ns");
    Value later = call("plus", now, n("60000000000"));
    assertEquals("[0, 0, 0, 0, 1, 0]", text(call("time.diff", ArrayValue.of(later, s("UTC")), ArrayValue.of(now, s("Asia/Shanghai")))));
  }

  @Test
  void format() throws Exception {
    Value t = n("1670006453141828752");
    assertEquals("\"2022-12-02T18:40:53.141828752Z\"", text(call("time.format", t)));
    assertEquals("\"2022-12-03T00:10:53.141828752+05:30\"", text(call("time.format", ArrayValue.of(t, s("Asia/Kolkata")))));
    assertEquals("\"Sat Dec 03 00:10:53 +0530 2022\"",
        text(call("time.format", ArrayValue.of(t, s("Asia/Kolkata"), s("Mon Jan 02 15:04:05 -0700 2006")))));
    assertEquals("\"Sat, 03 Dec 2022 00:10:53 +0530\"", text(call("time.format", ArrayValue.of(t, s("Asia/Kolkata"), s("RFC1123Z")))));
  }
}
