package io.portcullis.policy.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.ast.Module;
import io.portcullis.policy.ast.Rule;
import io.portcullis.policy.ast.Term;
import io.portcullis.policy.lexer.RegoSyntaxException;
import io.portcullis.policy.value.NumberValue;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {
  @Test
  void parsesRuleKinds() {
    Module m = Parser.parseModule("p.rego", """
        package a.b
        import rego.v1
        import data.lib.util as u

        default allow := false
        allow if input.user == "admin"
        deny contains msg if { msg := "no" }
        labels[k] := v if { some k, v in input.labels }
        x.y[z] contains w if { z := 1; w := 2 }
        f(x) := y if { y := x + 1 } else := 0
        """);
    assertEquals(List.of("a", "b"), m.packagePath());
    assertEquals(2, m.imports().size());
    assertEquals("u", m.imports().get(1).alias());
    List<Rule> rules = m.rules();
    assertEquals(6, rules.size());
    assertTrue(rules.get(0).isDefault());
    assertEquals(Rule.Kind.MULTI, rules.get(2).kind());
    assertEquals(2, rules.get(3).ref().size());
    assertEquals(Rule.Kind.MULTI, rules.get(4).kind());
    assertEquals(3, rules.get(4).ref().size());
    assertEquals(Rule.Kind.FUNCTION, rules.get(5).kind());
    assertTrue(rules.get(5).elseRule() != null);
  }

  @Test
  void keepsBigNumbersExact() {
    Term t = Parser.parseTerm("28857836529306024611913");
    assertEquals(NumberValue.of(new BigInteger("28857836529306024611913")), ((Term.Scalar) t).value());
  }

  @Test
  void operatorPrecedence() {
    List<Expr> q = Parser.parseQuery("x := 1 + 2 * 3 == 7");
    Expr.Unify u = assertInstanceOf(Expr.Unify.class, q.get(0).kind());
    Term.Call eq = assertInstanceOf(Term.Call.class, u.right());
    assertEquals("equal", eq.operator());
    Term.Call plus = assertInstanceOf(Term.Call.class, eq.args().get(0));
    assertEquals("plus", plus.operator());
    assertEquals("mul", ((Term.Call) plus.args().get(1)).operator());
  }

  @Test
  void errorsCarryFileRowAndColumn() {
    RegoSyntaxException e = assertThrows(RegoSyntaxException.class,
        () -> Parser.parseModule("policy.rego", "package p\n\nallow if {\n  x := [1, 2\n}\n"));
    assertEquals("policy.rego", e.location().file());
    assertEquals(5, e.location().row());
    assertEquals(1, e.location().col());
    assertTrue(e.getMessage().startsWith("policy.rego:5:1: rego_parse_error: "), e.getMessage());
  }

  @Test
  void requiresIfBeforeBody() {
    RegoSyntaxException e = assertThrows(RegoSyntaxException.class, () -> Parser.parseModule("p.rego", "package p\nallow { true }\n"));
    assertTrue(e.getMessage().contains("`if` keyword is required"), e.getMessage());
    assertEquals(2, e.location().row());
  }

  @Test
  void boundsNestingDepth() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    RegoSyntaxException e = assertThrows(RegoSyntaxException.class, () -> Parser.parseQuery("x := " + deep));
    assertTrue(e.getMessage().contains("nesting too deep"), e.getMessage());
  }

  @Test
  void templateStrings() {
    Term t = Parser.parseTerm("$\"a {1 + 2} b\"");
    Term.Template tp = assertInstanceOf(Term.Template.class, t);
    assertEquals(3, tp.parts().size());
  }
}
