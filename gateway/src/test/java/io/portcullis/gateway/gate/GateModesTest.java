package io.portcullis.gateway.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.gateway.ConfigFile;
import io.portcullis.gateway.ServerConfig;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule-set modes, remote OPA, and bundle reloading, each with its own registry started from a config file. */
class GateModesTest {
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    return Files.isDirectory(p.resolve("policies.rego")) ? p : p.getParent();
  }

  private static RegistryTestClient startWithConfig(Path dir, String yaml) throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, yaml);
    ServerConfig cfg = ConfigFile.load(file, ServerConfig.defaults().withPort(0).withStorageDir(dir.resolve("data")));
    return RegistryTestClient.of(io.portcullis.gateway.PortcullisServer.start(cfg));
  }

  private static Resp pull(RegistryTestClient r, String repo, String ref) {
    return r.get("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.ACCEPT_ALL);
  }

  @Test
  void auditModeServesWhatItWouldDenyAndLogsIt(@TempDir Path dir) throws Exception {
    try (RegistryTestClient r = startWithConfig(dir, "policy:\n  rule_sets:\n    - name: observe\n      repositories: ['**']\n      mode: audit\n");
        io.portcullis.gateway.auth.LogCapture serverLog = new io.portcullis.gateway.auth.LogCapture()) {
      r.pushImage("prod/app", "v1", 1);
      Resp pulled = pull(r, "prod/app", "v1");
      assertEquals(200, pulled.status(), pulled::toString);
      assertTrue(pulled.headerOrNull("Portcullis-Policy-Warning").contains("audit (rule set observe would deny)"), pulled::toString);
      assertEquals(200, pull(r, "prod/app", "v1").status());
      String warned = "allowed pull prod/app v1 for  with warnings: [audit (rule set observe would deny)";
      assertEquals(1, serverLog.text().split(java.util.regex.Pattern.quote(warned), -1).length - 1,
          () -> "the warning is logged once per decision made, not per cached answer:\n" + serverLog.text());
      JsonNode log = Oci.JSON.readTree(r.get("/v2/_portcullis/ext/decisions?repository=prod/app&action=pull").body());
      JsonNode d = log.path("decisions").get(0);
      assertTrue(d.path("allowed").asBoolean());
      assertTrue(d.path("warn").toString().contains("no signature verified"), d::toString);
    }
  }

  @Test
  void aRemoteOpaRuleSetDecidesLikeTheEmbeddedEngine(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("opa"));
    Files.createDirectories(dir.resolve("gw"));
    // One Portcullis serves OPA's Data API from its embedded engine; the other asks it over HTTP.
    try (RegistryTestClient opa = startWithConfig(dir.resolve("opa"), "");
        RegistryTestClient gw = startWithConfig(dir.resolve("gw"), "policy:\n  rule_sets:\n    - name: central\n      opa:\n        url: "
            + opa.baseUri() + "\n        path: portcullis\n")) {
      gw.pushImage("prod/app", "v1", 1);
      Resp denied = pull(gw, "prod/app", "v1");
      RegistryTestClient.assertError(denied, 403, "DENIED");
      assertTrue(new String(denied.body(), StandardCharsets.UTF_8).contains("no signature verified"));
      gw.pushImage("dev/app", "v1", 1);
      assertEquals(200, pull(gw, "dev/app", "v1").status());
      // the same input, asked of the Data API directly, gives the same answer
      Resp evaluate = gw.post("/v2/_portcullis/ext/policy/evaluate", "{\"action\":\"pull\",\"repository\":\"prod/app\",\"reference\":\"v1\"}".getBytes(StandardCharsets.UTF_8));
      JsonNode input = Oci.JSON.readTree(evaluate.body()).path("input");
      Resp data = opa.post("/v1/data/portcullis/pull", ("{\"input\":" + input + "}").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
      assertEquals(200, data.status(), data::toString);
      JsonNode result = Oci.JSON.readTree(data.body()).path("result");
      assertEquals(false, result.path("allow").asBoolean(true));
      assertTrue(result.path("deny").toString().contains("no signature verified"));
      assertEquals("{}", new String(opa.post("/v1/data/no/such/rule", "{\"input\":{}}".getBytes(StandardCharsets.UTF_8)).body(), StandardCharsets.UTF_8),
          "an undefined document has no result");
    }
  }

  @Test
  void aRemoteOpasDecisionsAreReusedOnlyForItsCacheSeconds(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("opa/bundle");
    Files.createDirectories(bundle);
    Files.createDirectories(dir.resolve("gw"));
    try (Stream<Path> files = Files.list(repoRoot().resolve("policies.rego"))) {
      for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, bundle.resolve(f.getFileName()));
    }
    try (RegistryTestClient opa = startWithConfig(dir.resolve("opa"), "policy:\n  bundle: bundle\n  reload_seconds: 1\n");
        RegistryTestClient gw = startWithConfig(dir.resolve("gw"), "policy:\n  rule_sets:\n    - name: central\n      opa:\n        url: "
            + opa.baseUri() + "\n        cache_seconds: 1\n")) {
      gw.pushImage("secure/app", "v1", 1);
      assertEquals(200, pull(gw, "secure/app", "v1").status());
      assertEquals(200, pull(gw, "secure/app", "v1").status(), "the second answer is a reused one");
      // OPA's policy changes behind Portcullis's back: nothing in the gateway's repository changed.
      Path data = bundle.resolve("data.json");
      Files.writeString(data, Files.readString(data).replace("\"prod/**\"", "\"secure/**\""));
      awaitStatus(gw, "secure/app", 403);
    }
  }

  @Test
  void theDataApiReadsNumbersExactlyAndRefusesThoseOutOfRange(@TempDir Path dir) throws Exception {
    try (RegistryTestClient opa = startWithConfig(dir, "")) {
      // 1e400 is no double; the engine keeps it exactly (found by JsonInputFuzzTest: it used to be a 500)
      Resp big = opa.post("/v1/data/portcullis/pull", "{\"input\":{\"n\":1e400}}".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, big.status(), big::toString);
      for (String body : new String[] {"{\"input\":{\"n\":1e999999999}}", "{\"input\":{\"n\":1e99999999999999}}"}) {
        Resp r = opa.post("/v1/data/portcullis/pull", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.status(), r::toString);
        assertEquals("invalid_parameter", Oci.JSON.readTree(r.body()).path("code").asText(), r::toString);
      }
    }
  }

  @Test
  void anUnreachableOpaDeniesFailClosed(@TempDir Path dir) throws Exception {
    try (RegistryTestClient gw = startWithConfig(dir, "policy:\n  rule_sets:\n    - name: central\n      opa:\n        url: http://127.0.0.1:9\n")) {
      // even a push is refused when the decision cannot be made
      gw.uploadBlob("dev/app", Oci.EMPTY_JSON);
      byte[] manifest = Oci.ociManifest().config(Oci.Descriptor.of(Oci.OCI_EMPTY, Oci.EMPTY_JSON)).build();
      Resp r = gw.putManifest("dev/app", "v1", Oci.OCI_MANIFEST, manifest);
      RegistryTestClient.assertError(r, 403, "DENIED");
      assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("fail closed"), r::toString);
      assertEquals(404, pull(gw, "dev/app", "v1").status(), "nothing was stored");
    }
  }

  @Test
  void theBundleReloadsWhenItChangesAndABrokenOneIsRejected(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    try (Stream<Path> files = Files.list(repoRoot().resolve("policies.rego"))) {
      for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, bundle.resolve(f.getFileName()));
    }
    try (RegistryTestClient r = startWithConfig(dir, "policy:\n  bundle: bundle\n  reload_seconds: 1\n")) {
      r.pushImage("prod/app", "v1", 1);
      r.pushImage("secure/app", "v1", 1);
      assertEquals(403, pull(r, "prod/app", "v1").status());
      assertEquals(200, pull(r, "secure/app", "v1").status());

      Path data = bundle.resolve("data.json");
      Files.writeString(data, Files.readString(data).replace("\"prod/**\"", "\"secure/**\""));
      awaitStatus(r, "prod/app", 200);
      assertEquals(403, pull(r, "secure/app", "v1").status(), "the new data protects secure/**");

      Files.writeString(bundle.resolve("broken.rego"), "package portcullis.broken\n\nthis is not rego\n");
      Thread.sleep(2500);
      assertEquals(200, pull(r, "prod/app", "v1").status(), "a bundle that does not compile leaves the previous one serving");
      assertEquals(403, pull(r, "secure/app", "v1").status());

      Files.delete(bundle.resolve("broken.rego"));
      Files.writeString(data, Files.readString(data).replace("\"secure/**\"", "\"prod/**\""));
      awaitStatus(r, "prod/app", 403);
    }
  }

  private static void awaitStatus(RegistryTestClient r, String repo, int status) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = pull(r, repo, "v1").status();
      if (last == status) return;
      Thread.sleep(200);
    }
    throw new AssertionError("the reloaded bundle did not take effect: " + repo + " still answers " + last);
  }
}
