package io.portcullis.policy.lexer;

import io.portcullis.policy.ast.Location;
import java.util.ArrayList;
import java.util.List;

/** Turns Rego source text into tokens. Comments start with {@code #} and run to the end of the line. */
public final class Lexer {
  private final String file;
  private final String src;
  private int pos;
  private int row;
  private int col;
  private final List<Token> tokens = new ArrayList<>();

  private Lexer(String file, String src, int row, int col) {
    this.file = file;
    this.src = src;
    this.row = row;
    this.col = col;
  }

  /** Tokenizes a whole source; the last token is {@link TokenKind#EOF}. */
  public static List<Token> tokenize(String file, String src) {
    return tokenize(file, src, 1, 1);
  }

  /** Tokenizes text that starts at the given row and column of its file (template expressions). */
  public static List<Token> tokenize(String file, String src, int row, int col) {
    Lexer lx = new Lexer(file, src, row, col);
    lx.run();
    return lx.tokens;
  }

  private Location here() { return new Location(file, row, col); }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < src.length() ? src.charAt(i) : '\0';
  }

  private void advance() {
    char c = src.charAt(pos++);
    if (c == '\n') {
      row++;
      col = 1;
    } else {
      col++;
    }
  }

  private void run() {
    boolean newline = false;
    boolean space = false;
    while (true) {
      // skip whitespace and comments
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c == '\n') {
          newline = true;
          space = true;
          advance();
        } else if (c == ' ' || c == '\t' || c == '\r') {
          space = true;
          advance();
        } else if (c == '#') {
          space = true;
          while (pos < src.length() && src.charAt(pos) != '\n') advance();
        } else {
          break;
        }
      }
      Location loc = here();
      int start = pos;
      if (pos >= src.length()) {
        tokens.add(new Token(TokenKind.EOF, "", loc, pos, pos, newline, space));
        return;
      }
      char c = src.charAt(pos);
      TokenKind kind;
      String text;
      if (Character.isLetter(c) || c == '_') {
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) advance();
        kind = TokenKind.IDENT;
        text = src.substring(start, pos);
      } else if (c >= '0' && c <= '9') {
        scanNumber(loc);
        kind = TokenKind.NUMBER;
        text = src.substring(start, pos);
      } else if (c == '"') {
        advance();
        text = scanString(loc);
        kind = TokenKind.STRING;
      } else if (c == '`') {
        advance();
        int s = pos;
        while (pos < src.length() && src.charAt(pos) != '`') advance();
        if (pos >= src.length()) throw new RegoSyntaxException(loc, "non-terminated raw string");
        text = src.substring(s, pos);
        advance();
        kind = TokenKind.RAW_STRING;
      } else if (c == '$' && (peek(1) == '"' || peek(1) == '`')) {
        char q = peek(1);
        advance();
        advance();
        int s = pos;
        scanTemplateBody(q, loc);
        text = src.substring(s, pos);
        advance();
        kind = q == '"' ? TokenKind.TEMPLATE : TokenKind.RAW_TEMPLATE;
      } else {
        kind = switch (c) {
          case '{' -> TokenKind.LBRACE;
          case '}' -> TokenKind.RBRACE;
          case '[' -> TokenKind.LBRACK;
          case ']' -> TokenKind.RBRACK;
          case '(' -> TokenKind.LPAREN;
          case ')' -> TokenKind.RPAREN;
          case '.' -> TokenKind.DOT;
          case ',' -> TokenKind.COMMA;
          case ';' -> TokenKind.SEMICOLON;
          case ':' -> peek(1) == '=' ? TokenKind.ASSIGN : TokenKind.COLON;
          case '=' -> peek(1) == '=' ? TokenKind.EQ : TokenKind.UNIFY;
          case '!' -> {
            if (peek(1) == '=') yield TokenKind.NEQ;
            throw new RegoSyntaxException(loc, "illegal ! character");
          }
          case '<' -> peek(1) == '=' ? TokenKind.LTE : TokenKind.LT;
          case '>' -> peek(1) == '=' ? TokenKind.GTE : TokenKind.GT;
          case '+' -> TokenKind.PLUS;
          case '-' -> TokenKind.MINUS;
          case '*' -> TokenKind.STAR;
          case '/' -> TokenKind.SLASH;
          case '%' -> TokenKind.PERCENT;
          case '&' -> TokenKind.AMP;
          case '|' -> TokenKind.BAR;
          default -> throw new RegoSyntaxException(loc, "illegal token '" + new String(Character.toChars(src.codePointAt(pos))) + "'");
        };
        int len = kind.describe().length();
        for (int i = 0; i < len; i++) advance();
        text = kind.describe();
      }
      tokens.add(new Token(kind, text, loc, start, pos, newline, space));
      newline = false;
      space = false;
    }
  }

  private void scanNumber(Location loc) {
    while (Character.isDigit(peek(0))) advance();
    if (peek(0) == '.' && Character.isDigit(peek(1))) {
      advance();
      while (Character.isDigit(peek(0))) advance();
    }
    if (peek(0) == 'e' || peek(0) == 'E') {
      int save = pos;
      char n1 = peek(1);
      if (Character.isDigit(n1) || ((n1 == '+' || n1 == '-') && Character.isDigit(peek(2)))) {
        advance();
        if (peek(0) == '+' || peek(0) == '-') advance();
        while (Character.isDigit(peek(0))) advance();
      } else if (save == pos) {
        throw new RegoSyntaxException(loc, "illegal number format");
      }
    }
    if (Character.isLetter(peek(0)) || peek(0) == '_') {
      throw new RegoSyntaxException(loc, "illegal number format");
    }
  }

  /** Scans a double-quoted string after the opening quote and returns its decoded value. */
  private String scanString(Location loc) {
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') throw new RegoSyntaxException(loc, "non-terminated string");
      char c = src.charAt(pos);
      if (c == '"') {
        advance();
        return sb.toString();
      }
      if (c == '\\') {
        advance();
        if (pos >= src.length()) throw new RegoSyntaxException(loc, "non-terminated string");
        char e = src.charAt(pos);
        advance();
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > src.length()) throw new RegoSyntaxException(loc, "illegal unicode escape in string");
            try {
              sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw new RegoSyntaxException(loc, "illegal unicode escape in string");
            }
            for (int i = 0; i < 4; i++) advance();
          }
          default -> throw new RegoSyntaxException(loc, "illegal escape sequence in string: \\" + e);
        }
        continue;
      }
      sb.append(c);
      advance();
    }
  }

  /** Skips a template body up to (not past) its closing quote, stepping over embedded expressions. */
  private void scanTemplateBody(char quote, Location loc) {
    while (true) {
      if (pos >= src.length() || (quote == '"' && src.charAt(pos) == '\n')) {
        throw new RegoSyntaxException(loc, "non-terminated template string");
      }
      char c = src.charAt(pos);
      if (c == quote) return;
      if (c == '\\') {
        advance();
        if (pos < src.length()) advance();
        continue;
      }
      if (c == '{') {
        advance();
        skipExpressionRegion(loc);
        continue;
      }
      advance();
    }
  }

  /** Skips to just after the '}' closing a template expression. */
  private void skipExpressionRegion(Location loc) {
    int depth = 1;
    while (true) {
      if (pos >= src.length()) throw new RegoSyntaxException(loc, "non-terminated template string");
      char c = src.charAt(pos);
      if (c == '"') {
        advance();
        scanString(here());
      } else if (c == '`') {
        advance();
        while (pos < src.length() && src.charAt(pos) != '`') advance();
        if (pos < src.length()) advance();
      } else if (c == '$' && (peek(1) == '"' || peek(1) == '`')) {
        char q = peek(1);
        advance();
        advance();
        scanTemplateBody(q, loc);
        advance();
      } else if (c == '{') {
        depth++;
        advance();
      } else if (c == '}') {
        depth--;
        advance();
        if (depth == 0) return;
      } else {
        advance();
      }
    }
  }
}
