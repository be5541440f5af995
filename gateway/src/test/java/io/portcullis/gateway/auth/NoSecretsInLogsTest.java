package io.portcullis.gateway.auth;

import static io.portcullis.gateway.auth.AuthenticationTest.basic;
import static io.portcullis.gateway.auth.AuthenticationTest.pushArtifact;
import static io.portcullis.gateway.auth.AuthenticationTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.gateway.PortcullisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed and successful logins, with Basic credentials and bearer tokens, leave no password and no
 * token in what the server logs, nor in its decision log.
 */
class NoSecretsInLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LONG_WRONG = "Wrong-Pa55-long-" + "x".repeat(100);

  @Test
  void noPasswordOrTokenReachesTheLogs(@TempDir Path dir) throws Exception {
    List<String> secrets = new ArrayList<>(List.of("alice-pw", "bob-pw", "Wrong-Pa55-basic", "Wrong-Pa55-token", "Wrong-Pa55-form", LONG_WRONG));
    String captured;
    try (LogCapture log = new LogCapture();
         PortcullisServer basicServer = AuthTestServer.start(Files.createDirectories(dir.resolve("basic")), "basic", "");
         PortcullisServer tokenServer = AuthTestServer.start(Files.createDirectories(dir.resolve("token")), "token", "")) {
      // Basic: wrong passwords (known and unknown users), then right ones, on reads and pushes.
      assertEquals(401, send(basicServer, "GET", "/v2/", null, "Authorization", basic("alice", "Wrong-Pa55-basic")).statusCode());
      assertEquals(401, send(basicServer, "GET", "/v2/", null, "Authorization", basic("nobody", "Wrong-Pa55-basic")).statusCode());
      assertEquals(401, pushArtifact(basicServer, "team/app", "v1", "x", "Authorization", basic("alice", "Wrong-Pa55-basic")));
      // Longer than the 72 bytes bcrypt hashes: refused like any wrong password (not a 500 with a stack trace).
      assertEquals(401, send(basicServer, "GET", "/v2/", null, "Authorization", basic("alice", LONG_WRONG)).statusCode());
      assertEquals(201, pushArtifact(basicServer, "team/app", "v1", "x", "Authorization", basic("alice", "alice-pw")));
      assertEquals(200, send(basicServer, "GET", "/v2/team/app/manifests/v1", null, "Authorization", basic("bob", "bob-pw"),
          "Accept", "application/vnd.oci.image.manifest.v1+json").statusCode());
      assertEquals(403, pushArtifact(basicServer, "team/app", "v2", "y", "Authorization", basic("bob", "bob-pw")));

      // Token: wrong passwords at the token endpoint (GET with Basic, POST password grant), then real tokens.
      assertEquals(401, send(tokenServer, "GET", "/v2/_portcullis/token?service=portcullis&scope=repository:team/app:pull,push", null,
          "Authorization", basic("alice", "Wrong-Pa55-token")).statusCode());
      assertEquals(401, send(tokenServer, "POST", "/v2/_portcullis/token",
          "grant_type=password&service=portcullis&username=alice&password=Wrong-Pa55-form".getBytes(StandardCharsets.UTF_8),
          "Content-Type", "application/x-www-form-urlencoded").statusCode());
      String aliceToken = token(tokenServer, "repository:team/app:pull,push", basic("alice", "alice-pw"));
      String bobToken = token(tokenServer, "repository:team/app:pull", basic("bob", "bob-pw"));
      secrets.add(aliceToken);
      secrets.add(bobToken);
      assertEquals(201, pushArtifact(tokenServer, "team/app", "v1", "x", "Authorization", "Bearer " + aliceToken));
      assertEquals(200, send(tokenServer, "GET", "/v2/team/app/manifests/v1", null, "Authorization", "Bearer " + bobToken,
          "Accept", "application/vnd.oci.image.manifest.v1+json").statusCode());
      assertEquals(403, send(tokenServer, "DELETE", "/v2/team/app/manifests/v1", null, "Authorization", "Bearer " + bobToken).statusCode());
      String forged = aliceToken.substring(0, aliceToken.lastIndexOf('.') + 1) + "AAAA" + aliceToken.substring(aliceToken.lastIndexOf('.') + 5);
      secrets.add(forged);
      assertEquals(401, send(tokenServer, "GET", "/v2/team/app/tags/list", null, "Authorization", "Bearer " + forged).statusCode());
      captured = log.text();
    }
    assertTrue(captured.contains("failed login for user 'alice'"), "the capture sees the server's log: " + captured);
    // Each secret, and the Basic header values and token signatures that carry them.
    List<String> forms = new ArrayList<>();
    for (String s : secrets) {
      forms.add(s);
      if (s.contains(".")) forms.add(s.substring(s.lastIndexOf('.') + 1));
    }
    for (String user : List.of("alice", "bob", "nobody")) {
      for (String pw : List.of("alice-pw", "bob-pw", "Wrong-Pa55-basic", "Wrong-Pa55-token")) {
        forms.add(Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8)));
      }
    }
    List<String> decisionLogs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("decisions.jsonl"))::iterator) {
        decisionLogs.add(Files.readString(p));
      }
    }
    assertFalse(decisionLogs.isEmpty(), "the pushes and pulls were decided and logged");
    for (String secret : forms) {
      assertFalse(captured.contains(secret), "the server log contains a secret (" + secret.length() + " characters): " + captured);
      for (String decisions : decisionLogs) assertFalse(decisions.contains(secret), "decisions.jsonl contains a secret");
    }
  }

  private static String token(PortcullisServer s, String scope, String authorization) throws Exception {
    var r = send(s, "GET", "/v2/_portcullis/token?service=portcullis&scope=" + scope, null, "Authorization", authorization);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("token").asText();
  }
}
