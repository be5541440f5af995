package io.portcullis.policy.value;

/** A Rego string; strings sort by their Unicode code points, as Go compares UTF-8 bytes. */
public record StringValue(String value) implements Value {
  public StringValue {
    if (value == null) throw new NullPointerException("value");
  }

  public static StringValue of(String s) { return new StringValue(s); }

  @Override public int typeRank() { return 3; }
  @Override public String typeName() { return "string"; }

  @Override
  public int compareSameType(Value other) {
    String a = value;
    String b = ((StringValue) other).value;
    if (a.equals(b)) return 0;
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        // UTF-16 order equals code point order except that surrogates (code points above U+FFFF) sort
        // after every other BMP character
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        if (sa == sb) return Character.compare(ca, cb);
        return sa ? 1 : -1;
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  @Override public String toString() { return Json.quote(value); }
}
