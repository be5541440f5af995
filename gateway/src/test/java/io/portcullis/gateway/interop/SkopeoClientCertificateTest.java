package io.portcullis.gateway.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.auth.AuthTestServer;
import io.portcullis.gateway.auth.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's skopeo authenticates with a client certificate from {@code --dest-cert-dir} /
 * {@code --src-cert-dir} (ca.crt, client.cert, client.key), against a registry that requires one.
 */
class SkopeoClientCertificateTest {
  @Test
  void skopeoPushesAndPullsWithAClientCertificate(@TempDir Path dir) throws Exception {
    Path skopeo = Cmd.which("skopeo");
    assertNotNull(skopeo, "skopeo is not installed: run `apt-get install -y skopeo` (.ci/run installs it)");
    TestPki.Issued serverCa = TestPki.ca("CN=Test Server CA");
    TestPki.Issued clientCa = TestPki.ca("CN=Test Client CA");
    TestPki.server(serverCa).write(dir.resolve("server.crt"), dir.resolve("server.key"));
    Files.writeString(dir.resolve("clients-ca.pem"), TestPki.pem(clientCa.certificate()));
    // skopeo's certificate directories: ca.crt trusts the server; client.cert/client.key log in as alice (group dev).
    Path withCert = Files.createDirectories(dir.resolve("certs-alice"));
    serverCa.write(withCert.resolve("ca.crt"), null);
    clientCa.issue("CN=alice").write(withCert.resolve("client.cert"), withCert.resolve("client.key"));
    Path withoutCert = Files.createDirectories(dir.resolve("certs-none"));
    serverCa.write(withoutCert.resolve("ca.crt"), null);
    String http = String.join("\n", "http:", "  port: 0", "  tls:", "    certificate: " + dir.resolve("server.crt"),
        "    key: " + dir.resolve("server.key"), "    client_ca: " + dir.resolve("clients-ca.pem"), "    client_auth: require");
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");

    try (PortcullisServer server = AuthTestServer.start(Files.createDirectories(dir.resolve("server")), "basic", "", http)) {
      OciLayout src = new OciLayout(dir.resolve("src"));
      src.tag(src.image("amd64", 1).manifest(), "v1");
      String target = "docker://127.0.0.1:" + server.port() + "/team/certified:v1";

      Cmd.Result refused = run(skopeo, policy, "copy", "--dest-cert-dir", withoutCert.toString(), "oci:" + src.dir() + ":v1", target);
      assertNotEquals(0, refused.exit(), "without a client certificate the handshake fails: " + refused);

      run(skopeo, policy, "copy", "--dest-cert-dir", withCert.toString(), "oci:" + src.dir() + ":v1", target).ok();
      Path out = dir.resolve("out");
      run(skopeo, policy, "copy", "--src-cert-dir", withCert.toString(), target, "oci:" + out + ":v1").ok();
      assertEquals(OciLayout.digestOf(src.dir(), "v1"), OciLayout.digestOf(out, "v1"), "the image comes back unchanged");
    }
  }

  private static Cmd.Result run(Path skopeo, Path policy, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(skopeo.toString(), "--policy", policy.toString()));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd, 180);
  }
}
