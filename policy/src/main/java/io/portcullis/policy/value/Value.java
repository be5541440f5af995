package io.portcullis.policy.value;

/**
 * A Rego value. Values are immutable and totally ordered by OPA's sort order:
 * null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set.
 * Equality is Rego equality: numbers compare by value ({@code 1 == 1.0}).
 */
public sealed interface Value extends Comparable<Value>
    permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

  /** Rank of the value's type in OPA's sort order. */
  int typeRank();

  /** OPA's type name as used in error messages: "null", "boolean", "number", "string", "array", "object", "set". */
  String typeName();

  @Override
  default int compareTo(Value other) {
    int byType = Integer.compare(typeRank(), other.typeRank());
    return byType != 0 ? byType : compareSameType(other);
  }

  /** Compares with a value of the same type rank. */
  int compareSameType(Value other);
}
