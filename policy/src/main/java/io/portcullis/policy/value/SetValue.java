package io.portcullis.policy.value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/** A Rego set. Members are kept sorted, so iteration order is OPA's order. */
public final class SetValue implements Value {
  public static final SetValue EMPTY = new SetValue(new TreeSet<>());

  private final NavigableSet<Value> members;

  private SetValue(NavigableSet<Value> members) { this.members = Collections.unmodifiableNavigableSet(members); }

  public static SetValue of(Collection<? extends Value> values) { return new SetValue(new TreeSet<>(values)); }
  public static SetValue of(Value... values) { return of(List.of(values)); }

  public NavigableSet<Value> members() { return members; }
  public int size() { return members.size(); }
  public boolean contains(Value v) { return members.contains(v); }

  /** A new set with the value added. */
  public SetValue with(Value v) {
    TreeSet<Value> copy = new TreeSet<>(members);
    copy.add(v);
    return new SetValue(copy);
  }

  @Override public int typeRank() { return 6; }
  @Override public String typeName() { return "set"; }

  @Override
  public int compareSameType(Value other) {
    return ValueOrder.compareLists(new ArrayList<>(members), new ArrayList<>(((SetValue) other).members));
  }

  @Override public boolean equals(Object o) { return o instanceof SetValue s && members.equals(s.members); }
  @Override public int hashCode() { return members.hashCode(); }
  @Override public String toString() { return Json.render(this); }
}
