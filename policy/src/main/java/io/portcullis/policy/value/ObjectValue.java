package io.portcullis.policy.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A Rego object. Keys may be any value (not only strings); entries are kept sorted by key, so
 * iteration order is OPA's order.
 */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(new TreeMap<>());

  private final NavigableMap<Value, Value> entries;

  private ObjectValue(NavigableMap<Value, Value> entries) { this.entries = Collections.unmodifiableNavigableMap(entries); }

  public static ObjectValue of(Map<? extends Value, ? extends Value> map) { return new ObjectValue(new TreeMap<>(map)); }

  public NavigableMap<Value, Value> entries() { return entries; }
  public int size() { return entries.size(); }
  public Value get(Value key) { return entries.get(key); }
  public Value get(String key) { return entries.get(new StringValue(key)); }

  /** A new object with the entry set. */
  public ObjectValue with(Value key, Value value) {
    TreeMap<Value, Value> copy = new TreeMap<>(entries);
    copy.put(key, value);
    return new ObjectValue(copy);
  }

  public static Builder builder() { return new Builder(); }

  /** Collects entries; later puts replace earlier ones. */
  public static final class Builder {
    private final TreeMap<Value, Value> entries = new TreeMap<>();

    public Builder put(Value key, Value value) { entries.put(key, value); return this; }
    public Builder put(String key, Value value) { return put(new StringValue(key), value); }
    public ObjectValue build() { return new ObjectValue(new TreeMap<>(entries)); }
  }

  @Override public int typeRank() { return 5; }
  @Override public String typeName() { return "object"; }

  /** Objects compare by their sorted keys, then by the values under those keys (OPA's order). */
  @Override
  public int compareSameType(Value other) {
    ObjectValue o = (ObjectValue) other;
    int byKeys = ValueOrder.compareLists(new ArrayList<>(entries.keySet()), new ArrayList<>(o.entries.keySet()));
    if (byKeys != 0) return byKeys;
    return ValueOrder.compareLists(new ArrayList<>(entries.values()), new ArrayList<>(o.entries.values()));
  }

  @Override public boolean equals(Object o) { return o instanceof ObjectValue v && entries.equals(v.entries); }
  @Override public int hashCode() { return entries.hashCode(); }
  @Override public String toString() { return Json.render(this); }
}
