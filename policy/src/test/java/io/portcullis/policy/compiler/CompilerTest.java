package io.portcullis.policy.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.builtins.BuiltinRegistry;
import io.portcullis.policy.parser.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerTest {
  private static CompiledPolicy compile(String src) {
    return new Compiler(BuiltinRegistry.standard()).compile(List.of(Parser.parseModule("test.rego", src)));
  }

  @Test
  void unknownFunctionIsACompileErrorNamingIt() {
    CompileException e = assertThrows(CompileException.class, () -> compile("""
        package p

        r := x if {
          x := http.send({"method": "GET", "url": "http://example.com"})
        }
        """));
    CompileError err = e.errors().get(0);
    assertEquals("rego_compile_error", err.code());
    assertEquals("undefined function http.send", err.message());
    assertEquals("test.rego", err.location().file());
    assertEquals(4, err.location().row());
    assertTrue(e.getMessage().startsWith("test.rego:4:"), e.getMessage());
  }

  @Test
  void unsafeVariablesAreReported() {
    CompileException e = assertThrows(CompileException.class, () -> compile("""
        package p

        allow if {
          y > 1
        }
        """));
    assertEquals("rego_unsafe_var_error", e.errors().get(0).code());
    assertEquals("var y is unsafe", e.errors().get(0).message());
    assertEquals(4, e.errors().get(0).location().row());
  }

  @Test
  void recursionIsReported() {
    CompileException e = assertThrows(CompileException.class, () -> compile("""
        package p

        a if b
        b if a
        """));
    assertEquals("rego_recursion_error", e.errors().get(0).code());
    assertTrue(e.getMessage().contains("data.p.a"), e.getMessage());
  }

  @Test
  void bodiesAreReorderedForSafety() {
    compile("""
        package p

        r := y if {
          y := x + 1
          x := 2
        }
        """);
  }

  @Test
  void arityIsChecked() {
    CompileException e = assertThrows(CompileException.class, () -> compile("package p\n\nr := count(1, 2, 3)\n"));
    assertTrue(e.getMessage().contains("arity"), e.getMessage());
  }

  @Test
  void redeclaringAVariableIsAnError() {
    CompileException e = assertThrows(CompileException.class, () -> compile("""
        package p

        r := x if {
          x := 1
          x := 2
        }
        """));
    assertEquals("rego_compile_error", e.errors().get(0).code());
    assertEquals("var x assigned above", e.errors().get(0).message());
    assertEquals(5, e.errors().get(0).location().row());
  }

  @Test
  void closuresMayShadowOuterVariables() {
    compile("""
        package p

        r := x if {
          y := [x | some x in [1, 2]]
          x := count(y)
        }
        """);
  }
}
