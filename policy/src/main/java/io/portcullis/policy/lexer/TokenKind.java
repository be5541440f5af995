package io.portcullis.policy.lexer;

/** The kinds of Rego tokens. */
public enum TokenKind {
  IDENT, NUMBER, STRING, RAW_STRING, TEMPLATE, RAW_TEMPLATE,
  LBRACE("{"), RBRACE("}"), LBRACK("["), RBRACK("]"), LPAREN("("), RPAREN(")"),
  DOT("."), COMMA(","), SEMICOLON(";"), COLON(":"),
  UNIFY("="), ASSIGN(":="), EQ("=="), NEQ("!="), LT("<"), LTE("<="), GT(">"), GTE(">="),
  PLUS("+"), MINUS("-"), STAR("*"), SLASH("/"), PERCENT("%"), AMP("&"), BAR("|"),
  EOF;

  private final String text;

  TokenKind() { this.text = null; }
  TokenKind(String text) { this.text = text; }

  /** How the token is written, for error messages. */
  public String describe() {
    return text != null ? text : name().toLowerCase();
  }
}
