package io.portcullis.policy.builtins;

/**
 * A failed builtin call. The message starts with the builtin's name, as OPA's do:
 * {@code "div: divide by zero"}, {@code "count: operand 1 must be one of {array, object, set, string} but got number"}.
 */
public final class BuiltinException extends Exception {
  /** OPA's two error codes for builtins. */
  public enum Kind {
    /** {@code eval_type_error}: an operand of the wrong type. */
    TYPE("eval_type_error"),
    /** {@code eval_builtin_error}: any other failure. */
    BUILTIN("eval_builtin_error");

    private final String code;

    Kind(String code) { this.code = code; }

    public String code() { return code; }
  }

  private final Kind kind;

  public BuiltinException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() { return kind; }

  /** An operand type error: {@code "<name>: operand <pos> must be <expected> but got <actual>"}. */
  public static BuiltinException operandType(String builtin, int position, String expected, String actual) {
    return new BuiltinException(Kind.TYPE, builtin + ": operand " + position + " must be " + expected + " but got " + actual);
  }

  /** A failure of the builtin itself: {@code "<name>: <message>"}. */
  public static BuiltinException failure(String builtin, String message) {
    return new BuiltinException(Kind.BUILTIN, builtin + ": " + message);
  }
}
