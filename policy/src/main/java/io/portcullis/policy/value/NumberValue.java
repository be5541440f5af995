package io.portcullis.policy.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A Rego number of any size. Held as a {@link BigDecimal}; two numbers are equal when they have the
 * same value whatever their scale ({@code 1}, {@code 1.0} and {@code 1e0} are one number).
 */
public final class NumberValue implements Value {
  private final BigDecimal value;

  /**
   * The most significant digits a number keeps; a result with more (a sum of {@code 1e5000} and
   * {@code 1e-5000}, a long chain of products) is rounded half-even to this many.
   */
  public static final int MAX_PRECISION = 10_000;
  /**
   * The largest decimal exponent, either sign. Beyond it a number is out of range
   * ({@link ArithmeticException}): {@code 1e999999999} would otherwise expand to a billion digits when
   * printed or used as an integer, and adding {@code 1e-999999999} to it would take as many.
   */
  public static final int MAX_EXPONENT = 10_000;
  private static final MathContext BOUNDED = new MathContext(MAX_PRECISION, RoundingMode.HALF_EVEN);

  private NumberValue(BigDecimal value) {
    if (value.signum() == 0) {
      value = BigDecimal.ZERO; // 0e999999999 is zero too
    } else {
      if (value.precision() > MAX_PRECISION) value = value.round(BOUNDED);
      long exponent = (long) value.precision() - value.scale() - 1;
      if (Math.abs(exponent) > MAX_EXPONENT) {
        throw new ArithmeticException("number out of range: exponent " + exponent + " is beyond ±" + MAX_EXPONENT);
      }
    }
    this.value = value;
  }

  public static NumberValue of(BigDecimal v) { return new NumberValue(v); }
  public static NumberValue of(long v) { return new NumberValue(BigDecimal.valueOf(v)); }
  public static NumberValue of(BigInteger v) { return new NumberValue(new BigDecimal(v)); }

  /** A finite double; callers must reject NaN and infinities before calling. */
  public static NumberValue of(double v) { return new NumberValue(BigDecimal.valueOf(v)); }

  /**
   * Parses a JSON/Rego number literal such as {@code 12}, {@code -0.5} or {@code 1e100}.
   *
   * @throws NumberFormatException when the literal is no number
   * @throws ArithmeticException when it is out of range (see {@link #MAX_EXPONENT})
   */
  public static NumberValue parse(String literal) { return new NumberValue(new BigDecimal(literal)); }

  public BigDecimal bigDecimal() { return value; }

  /** True when the number has no fractional part. */
  public boolean isInteger() {
    return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** The value as a BigInteger when it is an integer. */
  public Optional<BigInteger> asBigInteger() {
    return isInteger() ? Optional.of(value.toBigIntegerExact()) : Optional.empty();
  }

  /** The value as an int when it is an integer that fits. */
  public Optional<Integer> asInt() {
    if (!isInteger()) return Optional.empty();
    try {
      return Optional.of(value.intValueExact());
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** The value as a long when it is an integer that fits. */
  public Optional<Long> asLong() {
    if (!isInteger()) return Optional.empty();
    try {
      return Optional.of(value.longValueExact());
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  public double doubleValue() { return value.doubleValue(); }

  @Override public int typeRank() { return 2; }
  @Override public String typeName() { return "number"; }
  @Override public int compareSameType(Value other) { return value.compareTo(((NumberValue) other).value); }

  @Override
  public boolean equals(Object o) {
    return o instanceof NumberValue n && value.compareTo(n.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
  }

  /** The canonical text: integers without a fraction or exponent, others in plain notation where short. */
  @Override
  public String toString() {
    if (isInteger()) return value.toBigIntegerExact().toString();
    BigDecimal stripped = value.stripTrailingZeros();
    int exponent = stripped.precision() - stripped.scale() - 1;
    return (exponent < -6 || exponent > 20) ? stripped.toString() : stripped.toPlainString();
  }
}
