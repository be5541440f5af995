package io.portcullis.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.gateway.PortcullisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Basic and token authentication, and per-repository permissions, over real HTTP. */
class AuthenticationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> send(PortcullisServer s, String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUri() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String sha256(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Pushes a one-blob artifact under a tag; returns the manifest PUT's status. */
  static int pushArtifact(PortcullisServer s, String repo, String tag, String content, String... auth) throws Exception {
    byte[] blob = content.getBytes(StandardCharsets.UTF_8);
    String d = sha256(blob);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String c = sha256(config);
    HttpResponse<String> r1 = send(s, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, blob, auth);
    if (r1.statusCode() != 201) return r1.statusCode();
    send(s, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + c, config, auth);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + c + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + d + "\",\"size\":" + blob.length + "}]}";
    String[] headers = new String[auth.length + 2];
    System.arraycopy(auth, 0, headers, 0, auth.length);
    headers[auth.length] = "Content-Type";
    headers[auth.length + 1] = "application/vnd.oci.image.manifest.v1+json";
    return send(s, "PUT", "/v2/" + repo + "/manifests/" + tag, manifest.getBytes(StandardCharsets.UTF_8), headers).statusCode();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class BasicMode {
    PortcullisServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception { server = AuthTestServer.start(dir, "basic", ""); }

    @AfterAll
    void stop() { server.close(); }

    @Test
    void anonymousCallersAreChallengedAndValidUsersGetIn() throws Exception {
      HttpResponse<String> anon = send(server, "GET", "/v2/team/app/tags/list", null);
      assertEquals(401, anon.statusCode());
      assertTrue(anon.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
      assertTrue(anon.body().contains("UNAUTHORIZED"), anon.body());
      assertEquals(201, pushArtifact(server, "team/app", "v1", "one", "Authorization", basic("alice", "alice-pw")));
      assertEquals(200, send(server, "GET", "/v2/team/app/tags/list", null, "Authorization", basic("bob", "bob-pw")).statusCode());
    }

    @Test
    void wrongPasswordsAreRefusedAfterADelay() throws Exception {
      long start = System.nanoTime();
      HttpResponse<String> r = send(server, "GET", "/v2/", null, "Authorization", basic("alice", "wrong"));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(401, r.statusCode());
      assertTrue(ms >= 250, "a failed login must be slowed down, took " + ms + " ms");
      assertEquals(401, send(server, "GET", "/v2/", null, "Authorization", basic("nobody", "x")).statusCode());
    }

    @Test
    void permissionsFollowTheRules() throws Exception {
      String bob = basic("bob", "bob-pw");
      HttpResponse<String> push = send(server, "POST", "/v2/team/other/blobs/uploads/", null, "Authorization", bob);
      assertEquals(403, push.statusCode(), "bob may only read team/**");
      assertTrue(push.body().contains("DENIED"), push.body());
      assertEquals(403, send(server, "GET", "/v2/prod/x/tags/list", null, "Authorization", basic("alice", "alice-pw")).statusCode(),
          "no rule gives alice prod/**");
      assertEquals(201, pushArtifact(server, "prod/x", "v1", "admin", "Authorization", basic("root", "root-pw")), "admins may do anything");
    }

    @Test
    void movingATagNeedsUpdateNotJustCreate() throws Exception {
      String alice = basic("alice", "alice-pw");
      assertEquals(201, pushArtifact(server, "team/tags", "stable", "first", "Authorization", alice));
      assertEquals(201, pushArtifact(server, "team/tags", "stable", "first", "Authorization", alice), "re-pushing the same content moves nothing");
      assertEquals(403, pushArtifact(server, "team/tags", "stable", "second", "Authorization", alice), "alice may create but not update tags");
      assertEquals(403, send(server, "DELETE", "/v2/team/tags/manifests/stable", null, "Authorization", alice).statusCode());
    }

    @Test
    void anonymousReadOfPublicRepositoriesAndAFilteredCatalog() throws Exception {
      assertEquals(201, pushArtifact(server, "public/tool", "1.0", "public", "Authorization", basic("root", "root-pw")));
      assertEquals(200, send(server, "GET", "/v2/public/tool/manifests/1.0", null).statusCode());
      assertEquals(401, send(server, "POST", "/v2/public/tool/blobs/uploads/", null).statusCode());
      JsonNode anonCatalog = JSON.readTree(send(server, "GET", "/v2/_catalog", null).body());
      for (JsonNode name : anonCatalog.path("repositories")) assertTrue(name.asText().startsWith("public/"), anonCatalog.toString());
      assertTrue(anonCatalog.path("repositories").toString().contains("public/tool"));
    }

    @Test
    void mountingNeedsReadOnTheSource() throws Exception {
      byte[] blob = "secret layer".getBytes(StandardCharsets.UTF_8);
      String d = sha256(blob);
      assertEquals(201, send(server, "POST", "/v2/prod/secret/blobs/uploads/?digest=" + d, blob, "Authorization", basic("root", "root-pw")).statusCode());
      HttpResponse<String> mount = send(server, "POST", "/v2/team/steal/blobs/uploads/?mount=" + d + "&from=prod/secret", null,
          "Authorization", basic("alice", "alice-pw"));
      assertEquals(202, mount.statusCode(), "without read on the source the mount becomes a plain upload");
      HttpResponse<String> anonymousMount = send(server, "POST", "/v2/team/steal/blobs/uploads/?mount=" + d, null,
          "Authorization", basic("alice", "alice-pw"));
      assertEquals(202, anonymousMount.statusCode());
      assertEquals(404, send(server, "GET", "/v2/team/steal/blobs/" + d, null, "Authorization", basic("alice", "alice-pw")).statusCode());
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TokenMode {
    PortcullisServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception { server = AuthTestServer.start(dir, "token", ""); }

    @AfterAll
    void stop() { server.close(); }

    private String token(String scope, String... auth) throws Exception {
      HttpResponse<String> r = send(server, "GET", "/v2/_portcullis/token?service=portcullis&scope=" + scope, null, auth);
      assertEquals(200, r.statusCode(), r.body());
      return JSON.readTree(r.body()).path("token").asText();
    }

    @Test
    void challengeNamesTheRealmServiceAndScope() throws Exception {
      HttpResponse<String> r = send(server, "GET", "/v2/team/app/tags/list", null);
      assertEquals(401, r.statusCode());
      String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
      assertTrue(challenge.startsWith("Bearer realm=\"http://127.0.0.1:" + server.port() + "/v2/_portcullis/token\""), challenge);
      assertTrue(challenge.contains("service=\"portcullis\""), challenge);
      assertTrue(challenge.contains("scope=\"repository:team/app:pull\""), challenge);
    }

    @Test
    void tokensGrantOnlyWhatThePolicyAllows() throws Exception {
      String aliceToken = token("repository:team/tok:pull,push", "Authorization", basic("alice", "alice-pw"));
      assertEquals(201, pushArtifact(server, "team/tok", "v1", "by token", "Authorization", "Bearer " + aliceToken));
      String bobToken = token("repository:team/tok:pull,push", "Authorization", basic("bob", "bob-pw"));
      assertEquals(200, send(server, "GET", "/v2/team/tok/manifests/v1", null, "Authorization", "Bearer " + bobToken).statusCode());
      assertEquals(403, send(server, "POST", "/v2/team/tok/blobs/uploads/", null, "Authorization", "Bearer " + bobToken).statusCode(),
          "bob asked for push but was granted pull only");
      String pullOnly = token("repository:team/tok:pull", "Authorization", basic("alice", "alice-pw"));
      assertEquals(403, send(server, "POST", "/v2/team/tok/blobs/uploads/", null, "Authorization", "Bearer " + pullOnly).statusCode(),
          "a token is limited to the scope it was issued for");
    }

    @Test
    void anonymousTokensReadPublicRepositoriesOnly() throws Exception {
      String anon = token("repository:public/x:pull&scope=repository:team/app:pull");
      HttpResponse<String> team = send(server, "GET", "/v2/team/app/tags/list", null, "Authorization", "Bearer " + anon);
      assertEquals(401, team.statusCode(), "anonymous callers are challenged so that they can log in");
      assertFalse(send(server, "GET", "/v2/public/x/tags/list", null, "Authorization", "Bearer " + anon).statusCode() == 401);
    }

    @Test
    void forgedOrBadCredentialsAreRefused() throws Exception {
      String good = token("repository:team/app:pull", "Authorization", basic("alice", "alice-pw"));
      String[] parts = good.split("\\.");
      String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      assertTrue(claims.contains("\"sub\":\"alice\""), claims);
      String elevated = Base64.getUrlEncoder().withoutPadding().encodeToString(
          claims.replace("\"sub\":\"alice\"", "\"sub\":\"root\"").getBytes(StandardCharsets.UTF_8));
      String forged = parts[0] + "." + elevated + "." + parts[2];
      HttpResponse<String> r = send(server, "GET", "/v2/team/app/tags/list", null, "Authorization", "Bearer " + forged);
      assertEquals(401, r.statusCode());
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
      assertEquals(401, send(server, "GET", "/v2/_portcullis/token?scope=repository:team/app:pull", null,
          "Authorization", basic("alice", "nope")).statusCode());
    }
  }
}
