package io.portcullis.policy.parser;

import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Import;
import io.portcullis.policy.ast.Location;
import io.portcullis.policy.ast.Module;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.lexer.Lexer;
import io.portcullis.policy.lexer.RegoSyntaxException;
import io.portcullis.policy.lexer.Token;
import io.portcullis.policy.lexer.TokenKind;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A recursive-descent parser for Rego v1 modules, queries and terms. */
public final class Parser {
  /** The deepest nesting of terms and bodies accepted; deeper input is a parse error, not a stack overflow. */
  public static final int MAX_DEPTH = 200;

  private static final Set<String> KEYWORDS = Set.of(
      "as", "default", "else", "import", "package", "not", "with", "some", "in", "every", "contains", "if");

  private final String file;
  private final List<Token> tokens;
  private int pos;
  private int depth;
  private List<int[]> spans;

  private Parser(String file, List<Token> tokens) {
    this.file = file;
    this.tokens = tokens;
  }

  /** Parses a module; {@code file} names it in locations. */
  public static Module parseModule(String file, String source) {
    Parser p = new Parser(file, Lexer.tokenize(file, source));
    Module m = p.module();
    return new Module(m.file(), m.packagePath(), m.imports(), m.rules(), m.location(), metadataBlocks(source));
  }

  /**
   * Finds {@code # METADATA} comment blocks: the comment lines after the marker, without their
   * {@code #} and one space, keyed by the row of the first non-comment line that follows.
   */
  static java.util.Map<Integer, String> metadataBlocks(String source) {
    java.util.Map<Integer, String> out = new java.util.HashMap<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].strip().equals("# METADATA")) continue;
      StringBuilder yaml = new StringBuilder();
      int j = i + 1;
      while (j < lines.length && lines[j].strip().startsWith("#")) {
        String l = lines[j].strip().substring(1);
        yaml.append(l.startsWith(" ") ? l.substring(1) : l).append('\n');
        j++;
      }
      while (j < lines.length && lines[j].isBlank()) j++;
      if (j < lines.length) out.put(j + 1, yaml.toString());
      i = j - 1;
    }
    return out;
  }

  /** Parses a query body (expressions separated by {@code ;} or new lines). */
  public static List<Expr> parseQuery(String source) {
    Parser p = new Parser(null, Lexer.tokenize(null, source));
    List<Expr> body = p.body(TokenKind.EOF);
    p.expect(TokenKind.EOF, "end of query");
    if (body.isEmpty()) throw new RegoSyntaxException(new Location(null, 1, 1), "empty query");
    return body;
  }

  /** The source text of each top-level expression of a query, in order (for result reporting). */
  public static List<String> queryExpressionTexts(String source) {
    Parser p = new Parser(null, Lexer.tokenize(null, source));
    p.spans = new ArrayList<>();
    p.body(TokenKind.EOF);
    List<String> out = new ArrayList<>();
    for (int[] span : p.spans) out.add(source.substring(span[0], span[1]));
    return out;
  }

  /** Parses a single term, e.g. an {@code input_term}. */
  public static Term parseTerm(String source) {
    Parser p = new Parser(null, Lexer.tokenize(null, source));
    Term t = p.termInfix(true, false);
    p.expect(TokenKind.EOF, "end of term");
    return t;
  }

  // ---------------------------------------------------------------- tokens

  private Token tok() { return tokens.get(pos); }

  private Token peekTok(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

  private Token next() {
    Token t = tokens.get(pos);
    if (pos < tokens.size() - 1) pos++;
    return t;
  }

  private boolean at(TokenKind k) { return tok().kind() == k; }

  private boolean atWord(String w) { return tok().isIdent(w) && !keywordUsedAsRef(0); }

  /** A keyword directly followed by '.' or '[' is used as a name (e.g. {@code as.foo}). */
  private boolean keywordUsedAsRef(int ahead) {
    Token n = peekTok(ahead + 1);
    return (n.is(TokenKind.DOT) || n.is(TokenKind.LBRACK) || n.is(TokenKind.LPAREN)) && !n.spaceBefore();
  }

  private RegoSyntaxException error(Token t, String msg) {
    return new RegoSyntaxException(t.location(), msg);
  }

  private RegoSyntaxException unexpected(String expected) {
    Token t = tok();
    String what = t.is(TokenKind.EOF) ? "eof" : t.kind() == TokenKind.IDENT ? "ident" : t.kind() == TokenKind.STRING ? "string" : t.kind().describe();
    return error(t, "unexpected " + what + " token: expected " + expected);
  }

  private Token expect(TokenKind k, String expected) {
    if (!at(k)) throw unexpected(expected);
    return next();
  }

  private void enter() {
    if (++depth > MAX_DEPTH) throw error(tok(), "nesting too deep (more than " + MAX_DEPTH + " levels)");
  }

  private void leave() { depth--; }

  // ---------------------------------------------------------------- module

  private Module module() {
    Token start = tok();
    if (!atWord("package")) {
      if (at(TokenKind.EOF)) throw error(start, "empty module");
      throw error(start, "package expected");
    }
    next();
    List<String> pkg = packagePath();
    List<Import> imports = new ArrayList<>();
    while (atWord("import")) imports.add(importDecl());
    List<Rule> rules = new ArrayList<>();
    while (!at(TokenKind.EOF)) {
      if (atWord("import")) throw error(tok(), "import must come before rules");
      if (atWord("package")) throw error(tok(), "unexpected package keyword: a module has one package");
      rules.add(rule());
    }
    return new Module(file, pkg, imports, rules, start.location(), java.util.Map.of());
  }

  private List<String> packagePath() {
    List<String> out = new ArrayList<>();
    Token first = expect(TokenKind.IDENT, "ident");
    out.add(first.text());
    while ((at(TokenKind.DOT) || at(TokenKind.LBRACK)) && !tok().spaceBefore()) {
      if (at(TokenKind.DOT)) {
        next();
        out.add(expect(TokenKind.IDENT, "ident").text());
      } else {
        next();
        Token s = expect(TokenKind.STRING, "string");
        out.add(s.text());
        expect(TokenKind.RBRACK, "]");
      }
    }
    if (out.get(0).equals("data")) out.remove(0);
    if (out.isEmpty()) throw error(first, "package path must not be data alone");
    return out;
  }

  private Import importDecl() {
    Token start = next();
    Term t = term();
    if (!(t instanceof Term.Ref) && !(t instanceof Term.Var)) throw error(start, "invalid import path");
    Term.Ref ref = t instanceof Term.Ref r ? r : new Term.Ref(t, List.of(), t.location());
    if (!(ref.head() instanceof Term.Var head)
        || !Set.of("data", "input", "future", "rego").contains(head.name())) {
      throw error(start, "unexpected import path, must begin with one of: {data, input, future, rego}, got: " + renderHead(ref));
    }
    String alias = null;
    if (atWord("as")) {
      next();
      alias = expect(TokenKind.IDENT, "ident").text();
    }
    if (alias == null) {
      if (ref.path().isEmpty()) {
        alias = head.name();
      } else if (ref.path().get(ref.path().size() - 1) instanceof Term.Scalar s && s.value() instanceof StringValue sv) {
        alias = sv.value();
      } else {
        throw error(start, "invalid import path");
      }
    }
    return new Import(ref, alias, start.location());
  }

  private static String renderHead(Term.Ref ref) {
    return ref.head() instanceof Term.Var v ? v.name() : "?";
  }

  // ---------------------------------------------------------------- rules

  private Rule rule() {
    Token start = tok();
    boolean isDefault = false;
    if (atWord("default")) {
      next();
      isDefault = true;
    }
    List<Term> ref = ruleRef();
    List<Term> args = null;
    if (at(TokenKind.LPAREN) && !tok().spaceBefore()) {
      next();
      args = new ArrayList<>();
      if (!at(TokenKind.RPAREN)) {
        do {
          if (at(TokenKind.RPAREN)) break;
          args.add(termInfix(false, false));
        } while (at(TokenKind.COMMA) && next() != null);
      }
      expect(TokenKind.RPAREN, ")");
    }
    Rule.Kind kind = args != null ? Rule.Kind.FUNCTION : Rule.Kind.COMPLETE;
    Term key = null;
    Term value = null;
    if (isDefault) {
      if (!at(TokenKind.ASSIGN) && !at(TokenKind.UNIFY)) throw unexpected(":= or =");
      next();
      value = termInfix(true, false);
      return new Rule(ref, kind, args == null ? List.of() : args, null, value, List.of(), true, null, start.location());
    }
    if (atWord("contains")) {
      if (args != null) throw error(tok(), "functions cannot use contains");
      next();
      kind = Rule.Kind.MULTI;
      key = termInfix(true, false);
    } else if (at(TokenKind.ASSIGN) || at(TokenKind.UNIFY)) {
      next();
      value = termInfix(true, false);
    }
    List<Expr> body = List.of();
    boolean hadBody = false;
    if (atWord("if")) {
      next();
      body = ruleBody();
      hadBody = true;
    } else if (at(TokenKind.LBRACE)) {
      throw error(tok(), "`if` keyword is required before rule body");
    }
    if (!hadBody && value == null && key == null) {
      throw error(start, "rule must have a value or a body (`if`)");
    }
    if (value == null && kind != Rule.Kind.MULTI) value = new Term.Scalar(BooleanValue.TRUE, start.location());
    if (!hadBody) body = List.of(new Expr(new Expr.TermExpr(new Term.Scalar(BooleanValue.TRUE, start.location())), false, List.of(), start.location()));
    Rule elseRule = null;
    if (atWord("else")) {
      if (kind == Rule.Kind.MULTI) throw error(tok(), "else keyword cannot be used on multi-value rules");
      elseRule = elseChain(ref, kind, args);
    }
    return new Rule(ref, kind, args == null ? List.of() : args, key, value, body, false, elseRule, start.location());
  }

  private Rule elseChain(List<Term> ref, Rule.Kind kind, List<Term> args) {
    Token start = next(); // else
    Term value = null;
    if (at(TokenKind.ASSIGN) || at(TokenKind.UNIFY)) {
      next();
      value = termInfix(true, false);
    }
    if (value == null) value = new Term.Scalar(BooleanValue.TRUE, start.location());
    List<Expr> body;
    if (atWord("if")) {
      next();
      body = ruleBody();
    } else if (at(TokenKind.LBRACE)) {
      throw error(tok(), "`if` keyword is required before rule body");
    } else {
      body = List.of(new Expr(new Expr.TermExpr(new Term.Scalar(BooleanValue.TRUE, start.location())), false, List.of(), start.location()));
    }
    Rule elseRule = atWord("else") ? elseChain(ref, kind, args) : null;
    return new Rule(ref, kind, args == null ? List.of() : args, null, value, body, false, elseRule, start.location());
  }

  private List<Expr> ruleBody() {
    if (at(TokenKind.LBRACE)) {
      int save = pos;
      int saveDepth = depth;
      try {
        next();
        List<Expr> body = body(TokenKind.RBRACE);
        expect(TokenKind.RBRACE, "}");
        if (body.isEmpty()) throw error(tok(), "found empty body");
        return body;
      } catch (RegoSyntaxException e) {
        // `if {x: 1 | ...}`: a single expression starting with a brace term
        pos = save;
        depth = saveDepth;
        try {
          return List.of(expr());
        } catch (RegoSyntaxException ignored) {
          throw e;
        }
      }
    }
    return List.of(expr());
  }

  private List<Term> ruleRef() {
    Token first = tok();
    if (!at(TokenKind.IDENT)) throw unexpected("ident");
    next();
    List<Term> ref = new ArrayList<>();
    ref.add(new Term.Scalar(new StringValue(first.text()), first.location()));
    while ((at(TokenKind.DOT) || at(TokenKind.LBRACK)) && !tok().spaceBefore()) {
      if (at(TokenKind.DOT)) {
        next();
        Token id = expect(TokenKind.IDENT, "ident");
        ref.add(new Term.Scalar(new StringValue(id.text()), id.location()));
      } else {
        next();
        ref.add(termInfix(true, false));
        expect(TokenKind.RBRACK, "]");
      }
    }
    return ref;
  }

  // ---------------------------------------------------------------- bodies and expressions

  private List<Expr> body(TokenKind end) {
    List<Expr> out = new ArrayList<>();
    enter();
    while (!at(end) && !at(TokenKind.EOF)) {
      int startOffset = tok().offset();
      boolean top = depth == 1;
      out.add(expr());
      if (spans != null && top) spans.add(new int[] {startOffset, tokens.get(Math.max(0, pos - 1)).end()});
      if (at(TokenKind.SEMICOLON)) {
        next();
        continue;
      }
      if (at(end) || at(TokenKind.EOF)) break;
      if (!tok().newlineBefore()) throw unexpected("\\n or ; or " + end.describe());
    }
    leave();
    return out;
  }

  private Expr expr() {
    Token start = tok();
    enter();
    try {
      if (atWord("some")) return withs(someExpr(), start);
      if (atWord("every")) return withs(everyExpr(), start);
      boolean negated = false;
      if (atWord("not")) {
        next();
        negated = true;
        if (atWord("some") || atWord("every") || atWord("not")) throw error(tok(), "unexpected keyword after not");
      }
      Term lhs = termInfix(true, false);
      Expr.Kind kind;
      if (at(TokenKind.UNIFY) || at(TokenKind.ASSIGN)) {
        boolean declare = next().is(TokenKind.ASSIGN);
        Term rhs = termInfix(true, false);
        kind = new Expr.Unify(lhs, rhs, declare);
      } else {
        kind = new Expr.TermExpr(lhs);
      }
      Expr e = new Expr(kind, negated, List.of(), start.location());
      return withs(e, start);
    } finally {
      leave();
    }
  }

  private Expr withs(Expr e, Token start) {
    if (!atWord("with")) return e;
    List<Expr.With> ws = new ArrayList<>();
    while (atWord("with")) {
      Token w = next();
      Term target = term();
      if (!atWord("as")) throw unexpected("as");
      next();
      Term value = termInfix(true, false);
      ws.add(new Expr.With(target, value, w.location()));
    }
    return new Expr(e.kind(), e.negated(), ws, e.location());
  }

  private Expr someExpr() {
    Token start = next();
    List<Term> terms = new ArrayList<>();
    terms.add(termInfix(false, false, true));
    while (at(TokenKind.COMMA)) {
      next();
      terms.add(termInfix(false, false, true));
    }
    if (atWord("in")) {
      next();
      if (terms.size() > 2) throw error(start, "unexpected , in some: at most key and value");
      Term coll = termRelation(false);
      Term key = terms.size() == 2 ? terms.get(0) : null;
      Term value = terms.get(terms.size() - 1);
      return new Expr(new Expr.SomeIn(key, value, coll), false, List.of(), start.location());
    }
    List<Term.Var> vars = new ArrayList<>();
    for (Term t : terms) {
      if (!(t instanceof Term.Var v)) throw error(start, "expected var in some declaration");
      vars.add(v);
    }
    return new Expr(new Expr.SomeDecl(vars), false, List.of(), start.location());
  }

  private Expr everyExpr() {
    Token start = next();
    Term first = term();
    Term key = null;
    Term value = first;
    if (at(TokenKind.COMMA)) {
      next();
      key = first;
      value = term();
    }
    if (!(value instanceof Term.Var) || (key != null && !(key instanceof Term.Var))) {
      throw error(start, "unexpected term in every: expected var");
    }
    if (!atWord("in")) throw unexpected("in");
    next();
    Term domain = termRelation(false);
    expect(TokenKind.LBRACE, "{");
    List<Expr> body = body(TokenKind.RBRACE);
    expect(TokenKind.RBRACE, "}");
    return new Expr(new Expr.Every(key, value, domain, body), false, List.of(), start.location());
  }

  // ---------------------------------------------------------------- terms with operators

  private Term termInfix(boolean keyVal, boolean noOr) {
    return termInfix(keyVal, noOr, false);
  }

  /** in-expressions: {@code x in xs} and {@code k, v in xs} (the latter only where keyVal allows). */
  private Term termInfix(boolean keyVal, boolean noOr, boolean noIn) {
    Term lhs = termRelation(noOr);
    if (noIn) return lhs;
    while (true) {
      if (atWord("in")) {
        Token op = next();
        Term rhs = termRelation(noOr);
        lhs = call("internal.member_2", op.location(), lhs, rhs);
      } else if (keyVal && at(TokenKind.COMMA) && isKeyValIn()) {
        Token comma = next();
        Term mid = termRelation(noOr);
        next(); // in
        Term rhs = termRelation(noOr);
        lhs = call("internal.member_3", comma.location(), lhs, mid, rhs);
      } else {
        return lhs;
      }
    }
  }

  /** Looks ahead past ", term" for "in" without consuming. */
  private boolean isKeyValIn() {
    int save = pos;
    int saveDepth = depth;
    try {
      next();
      termRelation(false);
      return atWord("in");
    } catch (RegoSyntaxException e) {
      return false;
    } finally {
      pos = save;
      depth = saveDepth;
    }
  }

  private Term termRelation(boolean noOr) {
    Term lhs = termOr(noOr);
    while (true) {
      String op = switch (tok().kind()) {
        case EQ -> "equal";
        case NEQ -> "neq";
        case LT -> "lt";
        case LTE -> "lte";
        case GT -> "gt";
        case GTE -> "gte";
        default -> null;
      };
      if (op == null) return lhs;
      Token t = next();
      Term rhs = termOr(noOr);
      lhs = call(op, t.location(), lhs, rhs);
    }
  }

  private Term termOr(boolean noOr) {
    Term lhs = termAnd();
    while (!noOr && at(TokenKind.BAR)) {
      Token t = next();
      lhs = call("or", t.location(), lhs, termAnd());
    }
    return lhs;
  }

  private Term termAnd() {
    Term lhs = termArith();
    while (at(TokenKind.AMP)) {
      Token t = next();
      lhs = call("and", t.location(), lhs, termArith());
    }
    return lhs;
  }

  private Term termArith() {
    Term lhs = termFactor();
    while (at(TokenKind.PLUS) || at(TokenKind.MINUS)) {
      Token t = next();
      lhs = call(t.is(TokenKind.PLUS) ? "plus" : "minus", t.location(), lhs, termFactor());
    }
    return lhs;
  }

  private Term termFactor() {
    Term lhs = term();
    while (at(TokenKind.STAR) || at(TokenKind.SLASH) || at(TokenKind.PERCENT)) {
      Token t = next();
      String op = t.is(TokenKind.STAR) ? "mul" : t.is(TokenKind.SLASH) ? "div" : "rem";
      lhs = call(op, t.location(), lhs, term());
    }
    return lhs;
  }

  /** An infix operator as a call of its builtin; located where its left operand starts, as OPA does. */
  private static Term call(String op, Location operatorLocation, Term... args) {
    return new Term.Call(op, List.of(args), null, args[0].location());
  }

  // ---------------------------------------------------------------- primary terms

  private Term term() {
    enter();
    try {
      Term t = primary();
      return continuation(t);
    } finally {
      leave();
    }
  }

  private static Term.Scalar number(String literal, Location location) {
    try {
      return new Term.Scalar(NumberValue.parse(literal), location);
    } catch (ArithmeticException e) {
      throw new RegoSyntaxException(location, e.getMessage());
    } catch (NumberFormatException e) { // the lexer checked the form: an exponent beyond an int's range
      throw new RegoSyntaxException(location, "number out of range: " + literal);
    }
  }

  private Term primary() {
    Token t = tok();
    switch (t.kind()) {
      case NUMBER -> {
        next();
        return number(t.text(), t.location());
      }
      case STRING, RAW_STRING -> {
        next();
        return new Term.Scalar(new StringValue(t.text()), t.location());
      }
      case TEMPLATE, RAW_TEMPLATE -> {
        next();
        return template(t);
      }
      case MINUS -> {
        Token n = peekTok(1);
        if (n.is(TokenKind.NUMBER) && !n.spaceBefore()) {
          next();
          next();
          return number("-" + n.text(), t.location());
        }
        next();
        Term operand = term();
        return new Term.Call("minus", List.of(new Term.Scalar(NumberValue.of(0), t.location()), operand), null, t.location());
      }
      case IDENT -> {
        next();
        if (keywordUsedAsRef(-1) && (t.text().equals("true") || t.text().equals("false") || t.text().equals("null"))
            && peekTok(0).is(TokenKind.DOT)) {
          return new Term.Var(t.text(), t.location());
        }
        switch (t.text()) {
          case "true": return new Term.Scalar(BooleanValue.TRUE, t.location());
          case "false": return new Term.Scalar(BooleanValue.FALSE, t.location());
          case "null": return new Term.Scalar(NullValue.NULL, t.location());
          case "set":
            if (at(TokenKind.LPAREN) && !tok().spaceBefore() && peekTok(1).is(TokenKind.RPAREN)) {
              next();
              next();
              return new Term.SetTerm(List.of(), t.location());
            }
            return new Term.Var(t.text(), t.location());
          default:
            if (KEYWORDS.contains(t.text()) && !keywordUsedAsRef(-1)) {
              pos--;
              throw unexpected("term");
            }
            return new Term.Var(t.text(), t.location());
        }
      }
      case LPAREN -> {
        next();
        Term inner = termInfix(true, false);
        expect(TokenKind.RPAREN, ")");
        return inner;
      }
      case LBRACK -> {
        return arrayOrComprehension();
      }
      case LBRACE -> {
        return braceTerm();
      }
      default -> throw unexpected("term");
    }
  }

  private Term arrayOrComprehension() {
    Token open = next();
    if (at(TokenKind.RBRACK)) {
      next();
      return new Term.ArrayTerm(List.of(), open.location());
    }
    Term first = termInfix(false, true);
    if (at(TokenKind.BAR)) {
      next();
      List<Expr> body = body(TokenKind.RBRACK);
      expect(TokenKind.RBRACK, "]");
      return new Term.ArrayCompr(first, body, open.location());
    }
    List<Term> items = new ArrayList<>();
    items.add(first);
    while (at(TokenKind.COMMA)) {
      next();
      if (at(TokenKind.RBRACK)) break;
      items.add(termInfix(false, true));
    }
    expect(TokenKind.RBRACK, "]");
    return new Term.ArrayTerm(items, open.location());
  }

  private Term braceTerm() {
    Token open = next();
    if (at(TokenKind.RBRACE)) {
      next();
      return new Term.ObjectTerm(List.of(), open.location());
    }
    Term first = termInfix(false, true);
    if (at(TokenKind.COLON)) {
      next();
      Term firstValue = termInfix(false, true);
      if (at(TokenKind.BAR)) {
        next();
        List<Expr> body = body(TokenKind.RBRACE);
        expect(TokenKind.RBRACE, "}");
        return new Term.ObjectCompr(first, firstValue, body, open.location());
      }
      List<Term.Entry> entries = new ArrayList<>();
      entries.add(new Term.Entry(first, firstValue));
      while (at(TokenKind.COMMA)) {
        next();
        if (at(TokenKind.RBRACE)) break;
        Term k = termInfix(false, true);
        expect(TokenKind.COLON, ":");
        Term v = termInfix(false, true);
        entries.add(new Term.Entry(k, v));
      }
      expect(TokenKind.RBRACE, "}");
      return new Term.ObjectTerm(entries, open.location());
    }
    if (at(TokenKind.BAR)) {
      next();
      List<Expr> body = body(TokenKind.RBRACE);
      expect(TokenKind.RBRACE, "}");
      return new Term.SetCompr(first, body, open.location());
    }
    List<Term> items = new ArrayList<>();
    items.add(first);
    while (at(TokenKind.COMMA)) {
      next();
      if (at(TokenKind.RBRACE)) break;
      items.add(termInfix(false, true));
    }
    expect(TokenKind.RBRACE, "}");
    return new Term.SetTerm(items, open.location());
  }

  /** Ref and call continuations written directly after a term: {@code .x}, {@code [t]}, {@code (args)}. */
  private Term continuation(Term t) {
    while (!tok().spaceBefore()) {
      if (at(TokenKind.DOT)) {
        next();
        Token id = tok();
        if (!id.is(TokenKind.IDENT)) throw unexpected("ident");
        next();
        t = appendPath(t, new Term.Scalar(new StringValue(id.text()), id.location()));
      } else if (at(TokenKind.LBRACK)) {
        next();
        Term idx = termInfix(true, false);
        expect(TokenKind.RBRACK, "]");
        t = appendPath(t, idx);
      } else if (at(TokenKind.LPAREN)) {
        String name = Term.dottedName(t);
        if (name == null) throw error(tok(), "illegal call: operator must be a name");
        next();
        List<Term> args = new ArrayList<>();
        if (!at(TokenKind.RPAREN)) {
          args.add(termInfix(false, false));
          while (at(TokenKind.COMMA)) {
            next();
            if (at(TokenKind.RPAREN)) break;
            args.add(termInfix(false, false));
          }
        }
        expect(TokenKind.RPAREN, ")");
        t = new Term.Call(name, args, null, t.location());
      } else {
        break;
      }
    }
    return t;
  }

  private static Term appendPath(Term t, Term element) {
    if (t instanceof Term.Ref r) {
      List<Term> path = new ArrayList<>(r.path());
      path.add(element);
      return new Term.Ref(r.head(), path, r.location());
    }
    return new Term.Ref(t, List.of(element), t.location());
  }


  // ---------------------------------------------------------------- template strings

  private Term template(Token t) {
    boolean raw = t.is(TokenKind.RAW_TEMPLATE);
    String s = t.text();
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int row = t.location().row();
    int col = t.location().col() + 2;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        char e = i + 1 < s.length() ? s.charAt(i + 1) : '\0';
        if (e == '{') {
          lit.append('{');
          i += 2;
          col += 2;
          continue;
        }
        if (raw) {
          lit.append(c);
          i++;
          col++;
          continue;
        }
        switch (e) {
          case '"' -> lit.append('"');
          case '\\' -> lit.append('\\');
          case '/' -> lit.append('/');
          case 'b' -> lit.append('\b');
          case 'f' -> lit.append('\f');
          case 'n' -> lit.append('\n');
          case 'r' -> lit.append('\r');
          case 't' -> lit.append('\t');
          case 'u' -> {
            if (i + 6 > s.length() || !s.substring(i + 2, i + 6).matches("[0-9a-fA-F]{4}")) {
              throw new RegoSyntaxException(new Location(file, row, col), "illegal unicode escape in template string");
            }
            lit.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
            i += 4;
            col += 4;
          }
          default -> throw new RegoSyntaxException(new Location(file, row, col), "illegal escape sequence in template string");
        }
        i += 2;
        col += 2;
        continue;
      }
      if (c == '{') {
        int end = matchingBrace(s, i + 1);
        String inner = s.substring(i + 1, end);
        if (lit.length() > 0) {
          parts.add(lit.toString());
          lit.setLength(0);
        }
        Parser sub = new Parser(file, Lexer.tokenize(file, inner, row, col + 1));
        sub.depth = depth;
        Expr expr = sub.expr();
        sub.expect(TokenKind.EOF, "}");
        if (expr.withs().isEmpty() && !expr.negated() && expr.kind() instanceof Expr.TermExpr te) {
          parts.add(te.term());
        } else {
          parts.add(expr);
        }
        for (int k = i; k <= end; k++) {
          if (s.charAt(k) == '\n') {
            row++;
            col = 1;
          } else {
            col++;
          }
        }
        i = end + 1;
        continue;
      }
      lit.append(c);
      if (c == '\n') {
        row++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
    if (lit.length() > 0) parts.add(lit.toString());
    return new Term.Template(parts, t.location());
  }

  /** Index of the '}' closing the template expression that starts at {@code from}. */
  private static int matchingBrace(String s, int from) {
    int depth = 1;
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\') i++;
          i++;
        }
      } else if (c == '`') {
        i++;
        while (i < s.length() && s.charAt(i) != '`') i++;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) return i;
      }
      i++;
    }
    return s.length();
  }
}
