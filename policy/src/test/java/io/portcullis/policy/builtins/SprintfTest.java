package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.TimeBuiltinsTest.call;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.n;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import org.junit.jupiter.api.Test;

/** sprintf against Go's fmt output for the argument kinds OPA passes. */
class SprintfTest {
  private static String sprintf(String format, Value... args) throws BuiltinException {
    return ((StringValue) call("sprintf", s(format), ArrayValue.of(args))).value();
  }

  @Test
  void verbsAndFlags() throws Exception {
    assertEquals(" 3.14|42   |00042|ff|FF|10|101", sprintf("%5.2f|%-5d|%05d|%x|%X|%o|%b", n("3.14159"), n("42"), n("42"), n("255"), n("255"), n("8"), n("5")));
    assertEquals("1.234568e+03|1.2345e-05|\"hi\"|[1, \"a\"]", sprintf("%e|%g|%q|%v", n("1234.5678"), n("0.000012345"), s("hi"), ArrayValue.of(n("1"), s("a"))));
    // integral numbers are Go ints, others float64 (%v is %g with the shortest representation)
    assertEquals("0.1 1.2345675e+06 1000000 100000.5", sprintf("%v %v %v %v", n("0.1"), n("1234567.5"), n("1e6"), n("100000.5")));
    assertEquals("abc|+5| 5", sprintf("%.3s|%+d|% d", s("abcdef"), n("5"), n("5")));
    assertEquals("{1, 2} true null", sprintf("%v %v %v", SetValue.of(n("1"), n("2")), BooleanValue.TRUE, io.portcullis.policy.value.NullValue.NULL));
    assertEquals("100%", sprintf("100%%"));
    assertEquals("0x1f", sprintf("%#x", n("31")));
  }

  @Test
  void badArguments() throws Exception {
    assertEquals("%!d(float64=1.5)", sprintf("%d", n("1.5")));
    assertEquals("%!s(int=1)", sprintf("%s", n("1")));
    assertEquals("1 %!d(MISSING)", sprintf("%d %d", n("1")));
    assertEquals("1%!(EXTRA int=2)", sprintf("%d", n("1"), n("2")));
    assertEquals("%!t(string=true)", sprintf("%t", BooleanValue.TRUE));
    assertEquals("123456789123456789123", sprintf("%s", n("123456789123456789123")));
    assertEquals("123456789123456789123", sprintf("%d", n("123456789123456789123")));
  }
}
