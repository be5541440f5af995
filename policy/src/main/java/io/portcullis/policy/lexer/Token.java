package io.portcullis.policy.lexer;

import io.portcullis.policy.ast.Location;

/**
 * One token. {@code text} is the decoded value for strings and the source text otherwise;
 * {@code newlineBefore} tells whether a line break separates it from the previous token and
 * {@code spaceBefore} whether any whitespace or comment does.
 */
public record Token(TokenKind kind, String text, Location location, int offset, int end,
                    boolean newlineBefore, boolean spaceBefore) {
  public boolean is(TokenKind k) { return kind == k; }
  public boolean isIdent(String word) { return kind == TokenKind.IDENT && text.equals(word); }
}
