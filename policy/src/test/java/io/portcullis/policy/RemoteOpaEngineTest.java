package io.portcullis.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteOpaEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String POLICY = """
      package portcullis.pull

      default allow := false

      allow if {
        count(deny) == 0
        some s in input.signatures
        s.verified
      }

      deny contains msg if {
        input.vulnerabilities.critical > 0
        msg := sprintf("%d critical vulnerabilities", [input.vulnerabilities.critical])
      }

      decision := {"allow": allow, "deny": deny}
      """;

  @Test
  void remoteEngineGivesTheSameDecisionsAsTheEmbeddedOne() throws Exception {
    EmbeddedRegoEngine embedded = EmbeddedRegoEngine.fromSources(Map.of("pull.rego", POLICY), null, EvaluationLimits.defaults());
    try (OpaDataApiTestServer server = new OpaDataApiTestServer(embedded)) {
      RemoteOpaEngine remote = new RemoteOpaEngine(server.baseUri(), Duration.ofSeconds(5));
      List<String> inputs = List.of(
          "{\"signatures\":[{\"verified\":true}],\"vulnerabilities\":{\"critical\":0}}",
          "{\"signatures\":[{\"verified\":false}],\"vulnerabilities\":{\"critical\":0}}",
          "{\"signatures\":[{\"verified\":true}],\"vulnerabilities\":{\"critical\":2}}",
          "{}");
      for (String in : inputs) {
        JsonNode input = JSON.readTree(in);
        for (String path : List.of("portcullis/pull/decision", "portcullis.pull.allow", "portcullis/pull/deny", "portcullis/pull/missing")) {
          assertEquals(embedded.evaluate(path, input), remote.evaluate(path, input), path + " with " + in);
        }
      }
      Optional<JsonNode> d = remote.evaluate("portcullis/pull/decision",
          JSON.readTree("{\"signatures\":[{\"verified\":true}],\"vulnerabilities\":{\"critical\":2}}"));
      assertEquals(JSON.readTree("{\"allow\":false,\"deny\":[\"2 critical vulnerabilities\"]}"), d.orElseThrow());
      assertTrue(remote.evaluate("portcullis/pull/missing", JSON.readTree("{}")).isEmpty());
    }
  }

  @Test
  void unreachableOpaIsAnError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RemoteOpaEngine remote = new RemoteOpaEngine(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2));
    PolicyException e = assertThrows(PolicyException.class, () -> remote.evaluate("portcullis/pull", JSON.readTree("{}")));
    assertEquals("opa_unavailable", e.code());
  }

  @Test
  void serverErrorIsAnError() throws Exception {
    EmbeddedRegoEngine embedded = EmbeddedRegoEngine.fromSources(
        Map.of("c.rego", "package c\n\np := x if { x := [1, 2][_] }\n"), null, EvaluationLimits.defaults());
    try (OpaDataApiTestServer server = new OpaDataApiTestServer(embedded)) {
      RemoteOpaEngine remote = new RemoteOpaEngine(server.baseUri(), Duration.ofSeconds(5));
      assertThrows(PolicyException.class, () -> remote.evaluate("c/p", JSON.readTree("{}")));
    }
  }
}
