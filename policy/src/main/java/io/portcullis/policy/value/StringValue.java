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
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  @Override public String toString() { return Json.quote(value); }
}
