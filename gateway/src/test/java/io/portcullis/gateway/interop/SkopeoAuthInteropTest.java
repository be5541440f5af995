package io.portcullis.gateway.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.auth.AuthTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Debian's skopeo logs in with {@code --creds} against both authentication modes, as users would. */
class SkopeoAuthInteropTest {
  @ParameterizedTest
  @ValueSource(strings = {"basic", "token"})
  void skopeoPushesAndPullsWithCredentialsAndIsRefusedWithout(String mode, @TempDir Path dir) throws Exception {
    Path skopeo = Cmd.which("skopeo");
    assertNotNull(skopeo, "skopeo is not installed: run `apt-get install -y skopeo` (.ci/run installs it)");
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    Files.createDirectories(dir.resolve("server"));
    try (PortcullisServer server = AuthTestServer.start(dir.resolve("server"), mode, "")) {
      OciLayout src = new OciLayout(dir.resolve("src"));
      OciLayout.Written img = src.image("amd64", 2);
      src.tag(img.manifest(), "v1");
      String target = "docker://127.0.0.1:" + server.port() + "/team/app:v1";

      Cmd.Result anonymous = run(skopeo, policy, "copy", "--dest-tls-verify=false", "oci:" + src.dir() + ":v1", target);
      assertNotEquals(0, anonymous.exit(), "an anonymous push must be refused: " + anonymous);

      Cmd.Result readOnly = run(skopeo, policy, "copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw",
          "oci:" + src.dir() + ":v1", target);
      assertNotEquals(0, readOnly.exit(), "bob may only read: " + readOnly);

      run(skopeo, policy, "copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw", "oci:" + src.dir() + ":v1", target).ok();
      Path out = dir.resolve("out");
      run(skopeo, policy, "copy", "--src-tls-verify=false", "--src-creds", "bob:bob-pw", target, "oci:" + out + ":v1").ok();
      assertEquals(OciLayout.digestOf(src.dir(), "v1"), OciLayout.digestOf(out, "v1"), "the image comes back unchanged");

      Cmd.Result tags = run(skopeo, policy, "list-tags", "--tls-verify=false", "--creds", "bob:bob-pw",
          "docker://127.0.0.1:" + server.port() + "/team/app");
      tags.ok();
      assertTrue(tags.toString().contains("\"v1\""), tags.toString());
    }
  }

  private static Cmd.Result run(Path skopeo, Path policy, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(skopeo.toString(), "--policy", policy.toString()));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd, 180);
  }
}
