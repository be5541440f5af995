package io.portcullis.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.gateway.PortcullisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS client certificates mapped to users, over real HTTPS with Java's HTTP client: a certificate
 * issued by {@code http.tls.client_ca} authenticates its subject's CN, who then has exactly the groups
 * and access rules configured for that name (and is {@code request.user} in the policy input).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  TestPki.Issued serverCa;
  TestPki.Issued clientCa;
  TestPki.Issued otherCa;
  TestPki.Issued alice;      // in group dev: read and create on team/**
  TestPki.Issued dave;       // no rule names him
  TestPki.Issued erin;       // not in htpasswd; a rule grants her ci/**
  TestPki.Issued fakeRoot;   // CN=root, but from a CA the registry does not trust
  PortcullisServer optional;
  PortcullisServer required;
  PortcullisServer tokenMode;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    serverCa = TestPki.ca("CN=Test Server CA");
    clientCa = TestPki.ca("CN=Test Client CA");
    otherCa = TestPki.ca("CN=Some Other CA");
    alice = clientCa.issue("CN=alice,O=Acme");
    dave = clientCa.issue("CN=dave");
    erin = clientCa.issue("CN=erin");
    fakeRoot = otherCa.issue("CN=root");
    TestPki.server(serverCa).write(dir.resolve("server.crt"), dir.resolve("server.key"));
    Files.writeString(dir.resolve("clients-ca.pem"), TestPki.pem(clientCa.certificate()));
    String erinRule = String.join("\n", "    - repositories: ['ci/**']", "      users: [erin]", "      actions: [read, create]");
    optional = AuthTestServer.start(serverDir(dir, "optional"), "basic", erinRule, http(dir, "optional"));
    required = AuthTestServer.start(serverDir(dir, "require"), "basic", erinRule, http(dir, "require"));
    tokenMode = AuthTestServer.start(serverDir(dir, "token"), "token", erinRule, http(dir, "optional"));
  }

  private static Path serverDir(Path dir, String name) throws IOException { return Files.createDirectories(dir.resolve(name)); }

  private static String http(Path dir, String clientAuth) {
    return String.join("\n", "http:", "  port: 0", "  tls:",
        "    certificate: " + dir.resolve("server.crt"),
        "    key: " + dir.resolve("server.key"),
        "    client_ca: " + dir.resolve("clients-ca.pem"),
        "    client_auth: " + clientAuth);
  }

  @AfterAll
  void stop() {
    for (PortcullisServer s : new PortcullisServer[] {optional, required, tokenMode}) {
      if (s != null) s.close();
    }
  }

  /** An HTTPS client presenting {@code cert} (or none). */
  private HttpClient client(TestPki.Issued cert, TestPki.Issued issuer) throws Exception {
    return HttpClient.newBuilder().sslContext(TestPki.context(serverCa.certificate(), cert, issuer == null ? null : issuer.certificate())).build();
  }

  private HttpClient as(TestPki.Issued cert) throws Exception {
    return client(cert, cert == fakeRoot ? otherCa : clientCa);
  }

  private static HttpResponse<String> send(HttpClient c, PortcullisServer s, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUri() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String errorCode(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).path("errors").path(0).path("code").asText();
  }

  /** Pushes a one-layer artifact with the given client; the manifest PUT's status. */
  private static int push(HttpClient c, PortcullisServer s, String repo, String tag) throws Exception {
    String layer = "layer of " + repo;
    String ld = AuthenticationTest.sha256(layer.getBytes(StandardCharsets.UTF_8));
    String cd = AuthenticationTest.sha256("{}".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = send(c, s, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + ld, layer);
    if (r.statusCode() != 201) return r.statusCode();
    send(c, s, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + cd, "{}");
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + cd + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + ld + "\",\"size\":" + layer.length() + "}]}";
    return send(c, s, "PUT", "/v2/" + repo + "/manifests/" + tag, manifest, "Content-Type", "application/vnd.oci.image.manifest.v1+json").statusCode();
  }

  @Test
  void aCertifiedUserGetsThatUsersGroupsAndRules() throws Exception {
    HttpClient c = as(alice);
    assertEquals(200, send(c, optional, "GET", "/v2/", null).statusCode(), "alice's certificate logs her in");
    assertEquals(201, push(c, optional, "team/cert", "v1"), "group dev may create in team/**");
    assertEquals(200, send(c, optional, "GET", "/v2/team/cert/tags/list", null).statusCode());
    HttpResponse<String> elsewhere = send(c, optional, "GET", "/v2/ci/app/tags/list", null);
    assertEquals(403, elsewhere.statusCode(), "no rule gives alice ci/**: " + elsewhere.body());
    assertEquals("DENIED", errorCode(elsewhere));
    assertTrue(elsewhere.body().contains("alice"), elsewhere.body());
  }

  @Test
  void thePolicyInputNamesTheCertificateUser() throws Exception {
    HttpClient c = as(alice);
    assertEquals(201, push(c, optional, "team/input", "v1"));
    HttpResponse<String> r = send(c, optional, "POST", "/v2/_portcullis/ext/policy/evaluate",
        "{\"action\":\"pull\",\"repository\":\"team/input\",\"reference\":\"v1\"}", "Content-Type", "application/json");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode user = JSON.readTree(r.body()).path("input").path("request").path("user");
    assertEquals("alice", user.path("name").asText(), r.body());
    assertEquals("dev", user.path("groups").path(0).asText(), "the groups of auth.groups: " + user);
    assertEquals(false, user.path("anonymous").asBoolean(true));
  }

  @Test
  void aCertificateUserNeedNotBeInHtpasswd() throws Exception {
    assertEquals(201, push(as(erin), optional, "ci/app", "v1"), "erin has a rule, and a certificate instead of a password");
  }

  @Test
  void aCertificateUserWithoutARuleIsRefusedLikeAPasswordUser() throws Exception {
    HttpResponse<String> byCert = send(as(dave), optional, "GET", "/v2/team/cert/tags/list", null);
    HttpResponse<String> byPassword = send(client(null, null), optional, "GET", "/v2/team/cert/tags/list", null,
        "Authorization", AuthenticationTest.basic("carol", "carol-pw"));
    assertEquals(403, byPassword.statusCode(), byPassword.body());
    assertEquals(byPassword.statusCode(), byCert.statusCode(), byCert.body());
    assertEquals("DENIED", errorCode(byCert));
    assertEquals(403, push(as(dave), optional, "team/dave", "v1"));
  }

  @Test
  void withoutATrustedCertificateTheCallerIsAnonymous() throws Exception {
    for (HttpClient c : new HttpClient[] {client(null, null), as(fakeRoot)}) {
      HttpResponse<String> ping = send(c, optional, "GET", "/v2/", null);
      assertEquals(401, ping.statusCode(), "anonymous: challenged, not logged in (CN=root of an unknown CA is no admin)");
      assertTrue(ping.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "));
      assertEquals(404, send(c, optional, "GET", "/v2/public/none/tags/list", null).statusCode(), "anonymous may read public/**");
      assertEquals(401, send(c, optional, "GET", "/v2/_portcullis/ext/decisions", null).statusCode(), "and is no admin");
    }
  }

  @Test
  void aPasswordSentAlongWithACertificateDecides() throws Exception {
    HttpClient c = as(alice);
    assertEquals(201, push(c, optional, "team/both", "v1"));
    HttpResponse<String> asBob = send(c, optional, "POST", "/v2/team/both/blobs/uploads/", null,
        "Authorization", AuthenticationTest.basic("bob", "bob-pw"));
    assertEquals(403, asBob.statusCode(), "bob (read only) pushes, whatever certificate the connection carries: " + asBob.body());
    assertEquals(401, send(c, optional, "GET", "/v2/", null, "Authorization", AuthenticationTest.basic("alice", "wrong")).statusCode(),
        "a wrong password is refused even with a valid certificate");
  }

  @Test
  void requireRefusesTheHandshakeWithoutACertificateFromTheClientCa() throws Exception {
    assertEquals(200, send(as(alice), required, "GET", "/v2/", null).statusCode());
    assertThrows(IOException.class, () -> send(client(null, null), required, "GET", "/v2/", null), "no certificate: no connection");
    assertThrows(IOException.class, () -> send(as(fakeRoot), required, "GET", "/v2/", null), "a certificate of another CA: no connection");
  }

  @Test
  void inTokenModeACertificateNeedsNoTokenAndCanGetOne() throws Exception {
    HttpClient c = as(alice);
    assertEquals(201, push(c, tokenMode, "team/tok", "v1"), "a certified caller needs no bearer token");
    HttpResponse<String> token = send(c, tokenMode, "GET", "/v2/_portcullis/token?service=portcullis&scope=repository:team/tok:pull", null);
    assertEquals(200, token.statusCode(), token.body());
    String jwt = JSON.readTree(token.body()).path("token").asText();
    HttpClient plain = client(null, null);
    assertEquals(401, send(plain, tokenMode, "GET", "/v2/team/tok/tags/list", null).statusCode());
    assertEquals(200, send(plain, tokenMode, "GET", "/v2/team/tok/tags/list", null, "Authorization", "Bearer " + jwt).statusCode(),
        "the token issued to the certificate's user grants alice's read");
  }

  @Test
  void theUserNameComesFromTheConfiguredCertificateField() throws Exception {
    TestPki.Issued multi = clientCa.issue("CN=Build Robot,OU=ci,O=Acme",
        new GeneralName(GeneralName.rfc822Name, "robot@example.com"), new GeneralName(GeneralName.dNSName, "robot.ci.example.com"));
    assertEquals(Optional.of("Build Robot"), ClientCertificates.userOf(multi.certificate(), ClientCertificates.Field.CN));
    assertEquals(Optional.of("robot@example.com"), ClientCertificates.userOf(multi.certificate(), ClientCertificates.Field.EMAIL));
    assertEquals(Optional.of("robot.ci.example.com"), ClientCertificates.userOf(multi.certificate(), ClientCertificates.Field.DNS));
    assertEquals(Optional.empty(), ClientCertificates.userOf(dave.certificate(), ClientCertificates.Field.EMAIL), "no e-mail: no user");
  }
}
