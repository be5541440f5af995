package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.TimeBuiltinsTest.call;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.n;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.s;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RE2 syntax and semantics on java.util.regex. */
class RegexBuiltinsTest {
  private static String match(String re, String value) throws BuiltinException { return text(call("regex.match", s(re), s(value))); }

  @Test
  void admissionStylePatterns() throws Exception {
    assertEquals("true", match("^[a-z0-9]+(?:[._-][a-z0-9]+)*$", "library.nginx-1"));
    assertEquals("true", match("^sha256:[a-f0-9]{64}$", "sha256:" + "ab".repeat(32)));
    assertEquals("true", match("(?i)^DOCKER\\.io/", "docker.io/library"));
    assertEquals("true", match("[[:alpha:]]+[[:digit:]]", "abc1"));
    assertEquals("false", match("^abc$", "abc\n"), "$ is end of text in RE2");
    assertEquals("true", match("(?m)^abc$", "x\nabc\ny"));
    assertEquals("true", match("a{", "a{"), "a brace that is no repetition is a literal");
    assertEquals("true", match("[a[]", "["), "[ inside a class is a literal");
    assertEquals("true", match("\\p{Greek}", "λ"));
  }

  @Test
  void re2RejectsPerlOnlySyntax() throws Exception {
    for (String bad : new String[] {"(a)\\1", "a(?=b)", "a(?!b)", "a++", "a**", "x{1001}", "[z-a]", "(", "\\Z"}) {
      assertEquals("false", text(call("regex.is_valid", s(bad))), bad);
      assertThrows(BuiltinException.class, () -> call("regex.match", s(bad), s("a")), bad);
    }
    assertEquals("true", text(call("regex.is_valid", s("a*?b+?"))));
  }

  @Test
  void replaceFindAndSplit() throws Exception {
    assertEquals("\"b-a\"", text(call("regex.replace", s("a-b"), s("(?P<x>\\w)-(?P<y>\\w)"), s("${y}-${x}"))));
    assertEquals("\"-\"", text(call("regex.replace", s("ab"), s("(a)(b)"), s("$1x-$2x"))), "$1x names group 1x");
    assertEquals("\"$a$b$\"", text(call("regex.replace", s("ab"), s("z*"), s("$$"))), "empty matches between characters");
    assertEquals("[\"\", \"b\", \"\"]", text(call("regex.split", s("a"), s("aba"))));
    assertEquals("[\"a\", \"a\"]", text(call("regex.find_n", s("a"), s("banana"), n("2"))));
    assertEquals("[[\"k=v\", \"k\", \"v\"]]", text(call("regex.find_all_string_submatch_n", s("(\\w)=(\\w)"), s("k=v"), n("-1"))));
  }

  @Test
  void templateAndGlobs() throws Exception {
    assertEquals("true", text(call("regex.template_match", s("urn:foo:{.*}"), s("urn:foo:bar:baz"), s("{"), s("}"))));
    assertEquals("false", text(call("regex.template_match", s("urn:foo:<[0-9]+>"), s("urn:foo:x"), s("<"), s(">"))));
    assertEquals("true", text(call("regex.globs_match", s("a.a.[0-9]+z"), s(".b.b2359825792*594823z"))));
    assertEquals("false", text(call("regex.globs_match", s("[a-c]+"), s("[d-f]+"))));
  }
}
