package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.TimeBuiltinsTest.call;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.s;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import org.junit.jupiter.api.Test;

/** graph.* and uuid.parse against OPA's conformance values. */
class GraphUuidBuiltinsTest {
  private static ArrayValue arr(String... xs) {
    Value[] vs = new Value[xs.length];
    for (int i = 0; i < xs.length; i++) vs[i] = new StringValue(xs[i]);
    return ArrayValue.of(vs);
  }

  @Test
  void reachablePaths() throws Exception {
    ObjectValue graph = ObjectValue.builder()
        .put("one", arr("two", "five")).put("two", arr("four")).put("three", arr("")).put("four", arr("three"))
        .put("five", arr("seven", "six")).put("six", arr("nine", "seven")).put("seven", arr("eight"))
        .put("eight", arr("three")).put("nine", arr("")).build();
    assertEquals("{[\"one\", \"five\", \"seven\", \"eight\", \"three\"], [\"one\", \"five\", \"six\"], "
            + "[\"one\", \"five\", \"six\", \"nine\"], [\"one\", \"two\", \"four\", \"three\"]}",
        text(call("graph.reachable_paths", graph, SetValue.of(s("one")))));
    ObjectValue cycle = ObjectValue.builder().put("a", SetValue.of(s("b"))).put("b", SetValue.of(s("c"))).put("c", SetValue.of(s("a"))).build();
    assertEquals("{\"a\", \"b\", \"c\"}", text(call("graph.reachable", cycle, SetValue.of(s("a")))));
  }

  @Test
  void uuidParse() throws Exception {
    assertEquals("{\"clocksequence\": 12800, \"domain\": \"Person\", \"id\": 1000, \"macvariables\": \"local:unicast\", "
            + "\"nodeid\": \"32-50-96-b3-9f-47\", \"time\": 1693566990121469600, \"variant\": \"RFC4122\", \"version\": 2}",
        text(call("uuid.parse", s("000003e8-48b9-21ee-b200-325096b39f47"))));
    assertEquals("{\"variant\": \"RFC4122\", \"version\": 4}", text(call("uuid.parse", s("00000000-0000-4000-8000-000000000000"))));
  }
}
