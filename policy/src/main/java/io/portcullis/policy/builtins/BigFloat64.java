package io.portcullis.policy.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code big.Float} at its default 64-bit mantissa, as OPA uses it for arithmetic that is not
 * exact integer arithmetic: operands are rounded to 64 bits, each operation rounds to nearest even,
 * and the result is printed as the shortest decimal that reads back to the same value
 * ({@code Text('g', -1)}). So {@code 3.3 - 1.1} is {@code 2.1999999999999999998}, as in OPA.
 *
 * @param mantissa signed; zero or with 2^63 &lt;= |mantissa| &lt; 2^64
 * @param exponent the value is mantissa * 2^exponent
 */
record BigFloat64(BigInteger mantissa, int exponent) {
  private static final int PRECISION = 64;
  static final BigFloat64 ZERO = new BigFloat64(BigInteger.ZERO, 0);

  /** Rounds num/den (den &gt; 0) to 64 bits, half to even. */
  static BigFloat64 ofRational(BigInteger num, BigInteger den) {
    if (num.signum() == 0) return ZERO;
    int sign = num.signum();
    BigInteger n = num.abs();
    // estimate the exponent so that n / den / 2^e has 64 integer bits
    int e = n.bitLength() - den.bitLength() - PRECISION;
    while (true) {
      BigInteger scaledNum = e >= 0 ? n : n.shiftLeft(-e);
      BigInteger scaledDen = e >= 0 ? den.shiftLeft(e) : den;
      BigInteger[] qr = scaledNum.divideAndRemainder(scaledDen);
      BigInteger q = qr[0];
      if (q.bitLength() > PRECISION) {
        e++;
        continue;
      }
      if (q.bitLength() < PRECISION) {
        e--;
        continue;
      }
      int cmp = qr[1].shiftLeft(1).compareTo(scaledDen);
      if (cmp > 0 || (cmp == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
      if (q.bitLength() > PRECISION) {
        q = q.shiftRight(1);
        e++;
      }
      return new BigFloat64(sign < 0 ? q.negate() : q, e);
    }
  }

  static BigFloat64 of(BigDecimal d) {
    BigInteger unscaled = d.unscaledValue();
    int scale = d.scale();
    if (scale <= 0) return ofRational(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE);
    return ofRational(unscaled, BigInteger.TEN.pow(scale));
  }

  /** The exact value as numerator/denominator. */
  private BigInteger[] rational() {
    if (exponent >= 0) return new BigInteger[] {mantissa.shiftLeft(exponent), BigInteger.ONE};
    return new BigInteger[] {mantissa, BigInteger.ONE.shiftLeft(-exponent)};
  }

  BigFloat64 add(BigFloat64 o) {
    int e = Math.min(exponent, o.exponent);
    BigInteger sum = mantissa.shiftLeft(exponent - e).add(o.mantissa.shiftLeft(o.exponent - e));
    return e >= 0 ? ofRational(sum.shiftLeft(e), BigInteger.ONE) : ofRational(sum, BigInteger.ONE.shiftLeft(-e));
  }

  BigFloat64 negate() { return new BigFloat64(mantissa.negate(), exponent); }

  BigFloat64 multiply(BigFloat64 o) {
    BigInteger m = mantissa.multiply(o.mantissa);
    int e = exponent + o.exponent;
    return e >= 0 ? ofRational(m.shiftLeft(e), BigInteger.ONE) : ofRational(m, BigInteger.ONE.shiftLeft(-e));
  }

  BigFloat64 divide(BigFloat64 o) {
    BigInteger[] a = rational();
    BigInteger[] b = o.rational();
    BigInteger num = a[0].multiply(b[1]);
    BigInteger den = a[1].multiply(b[0]);
    if (den.signum() < 0) {
      num = num.negate();
      den = den.negate();
    }
    return ofRational(num, den);
  }

  /** The exact binary value as a decimal. */
  BigDecimal exact() {
    if (exponent >= 0) return new BigDecimal(mantissa.shiftLeft(exponent));
    return new BigDecimal(mantissa).divide(new BigDecimal(BigInteger.ONE.shiftLeft(-exponent)));
  }

  /** The shortest decimal that rounds back to this value. */
  BigDecimal shortest() {
    if (mantissa.signum() == 0) return BigDecimal.ZERO;
    BigDecimal exact = exact();
    for (int digits = 1; digits < 40; digits++) {
      BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (of(candidate).equals(this)) return candidate;
    }
    return exact;
  }
}
