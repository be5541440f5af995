package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.auth.AuthTestServer;
import io.portcullis.gateway.conformance.RegistryTestClient.RawResponse;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UNAUTHORIZED and DENIED in the spec's error format, from a registry with Basic authentication
 * (users and rules of {@link AuthTestServer}: bob may only read team/**, alice may create there).
 */
class AuthErrorsTest {
  @TempDir
  static Path dir;

  static RegistryTestClient registry;

  @BeforeAll
  static void start() throws Exception {
    registry = RegistryTestClient.of(AuthTestServer.start(dir, "basic", ""));
  }

  @AfterAll
  static void stop() {
    if (registry != null) registry.close();
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anonymousPushIsUnauthorizedWithAChallenge() {
    Resp r = registry.post("/v2/team/app/blobs/uploads/", null);
    assertError(r, 401, ErrorCodes.UNAUTHORIZED);
    assertTrue(r.header("WWW-Authenticate").isPresent(), r::toString);
    Resp base = registry.get("/v2/");
    assertEquals(401, base.status(), () -> "GET /v2/ tells a client to authenticate: " + base);
    assertTrue(base.header("WWW-Authenticate").isPresent(), base::toString);
    RawResponse head = registry.rawHead("/v2/team/app/manifests/latest");
    assertEquals(401, head.status(), head::headerBlock);
    assertEquals(0, head.afterHeaders().length, "HEAD must not send a body");
  }

  @Test
  void wrongPasswordIsUnauthorized() {
    Resp r = registry.get("/v2/team/app/tags/list", "Authorization",
        "Basic " + Base64.getEncoder().encodeToString("bob:wrong".getBytes(StandardCharsets.UTF_8)));
    assertError(r, 401, ErrorCodes.UNAUTHORIZED);
  }

  @Test
  void authenticatedButNotAllowedIsDenied() {
    Resp push = registry.post("/v2/team/app/blobs/uploads/", null, "Authorization", basic("bob"));
    assertError(push, 403, ErrorCodes.DENIED);
    Resp other = registry.get("/v2/prod/app/tags/list", "Authorization", basic("alice"));
    assertError(other, 403, ErrorCodes.DENIED);
  }

  @Test
  void allowedUserPushesAndReaderPulls() {
    byte[] data = Oci.randomBytes(100);
    String digest = Oci.sha256(data);
    Resp push = registry.post("/v2/team/app/blobs/uploads/?digest=" + digest, data,
        "Content-Type", "application/octet-stream", "Authorization", basic("alice"));
    assertEquals(201, push.status(), push::toString);
    Resp pull = registry.get("/v2/team/app/blobs/" + digest, "Authorization", basic("bob"));
    assertEquals(200, pull.status(), pull::toString);
  }
}
