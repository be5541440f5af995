package io.portcullis.policy.value;

import java.util.List;

/** A Rego array; arrays compare element by element, then by length. */
public record ArrayValue(List<Value> elements) implements Value {
  public static final ArrayValue EMPTY = new ArrayValue(List.of());

  public ArrayValue {
    elements = List.copyOf(elements);
  }

  public static ArrayValue of(Value... values) { return new ArrayValue(List.of(values)); }

  public int size() { return elements.size(); }
  public Value get(int i) { return elements.get(i); }

  @Override public int typeRank() { return 4; }
  @Override public String typeName() { return "array"; }

  @Override
  public int compareSameType(Value other) {
    return ValueOrder.compareLists(elements, ((ArrayValue) other).elements);
  }

  @Override public String toString() { return Json.render(this); }
}
