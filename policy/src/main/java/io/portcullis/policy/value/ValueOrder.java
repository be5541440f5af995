package io.portcullis.policy.value;

import java.util.List;

/** Element-wise ordering of value sequences, shared by arrays, sets and objects. */
final class ValueOrder {
  private ValueOrder() {}

  static int compareLists(List<Value> a, List<Value> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }
}
