package io.portcullis.gateway.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.ConfigFile;
import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The users' path without cosign: {@code portcullis keygen}, a trust policy naming the public key,
 * {@code portcullis sign} (tag scheme and {@code --referrer}), and the gate admits the pull;
 * {@code portcullis verify} agrees. The commands run in their own JVM, as the launcher runs them.
 */
class SignCommandGateTest {
  private static Process cli(Path workDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.portcullis.gateway.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().put("PORTCULLIS_PASSWORD", "correct horse battery staple");
    return pb.start();
  }

  private static String run(Path workDir, int expectedExit, String... args) throws Exception {
    Process p = cli(workDir, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(expectedExit, p.exitValue(), () -> String.join(" ", args) + " printed:\n" + out);
    return out;
  }

  @Test
  void keygenSignAndVerifyThroughTheCommandLineAndTheGateAdmits(@TempDir Path dir) throws Exception {
    run(dir, 0, "keygen", "--output-key-prefix", "release");
    assertTrue(Files.readString(dir.resolve("release.key")).contains("ENCRYPTED SIGSTORE PRIVATE KEY"));
    Files.writeString(dir.resolve("portcullis.yaml"), "storage:\n  root: data\ntrust:\n  - name: release\n    keys: [release.pub]\n");
    ServerConfig cfg = ConfigFile.load(dir.resolve("portcullis.yaml"), ServerConfig.defaults().withPort(0));
    try (RegistryTestClient registry = RegistryTestClient.of(PortcullisServer.start(cfg))) {
      String host = "127.0.0.1:" + registry.port();
      for (boolean referrer : new boolean[] {false, true}) {
        String repo = referrer ? "prod/cli-referrer" : "prod/cli-tag";
        Image img = registry.pushImage(repo, "v1", 1);
        EvidenceAttacher.attachSbom(registry, repo, img.digest(), img.manifest().length, Oci.OCI_MANIFEST, EvidenceAttacher.cycloneDx("MIT", 0));
        assertEquals(403, registry.get("/v2/" + repo + "/manifests/v1", "Accept", Oci.ACCEPT_ALL).status());
        run(dir, 1, "verify", "--key", "release.pub", "--insecure", host + "/" + repo + "@" + img.digest());

        List<String> sign = new ArrayList<>(List.of("sign", "--key", "release.key", "--insecure"));
        if (referrer) sign.add("--referrer");
        sign.add(host + "/" + repo + "@" + img.digest());
        run(dir, 0, sign.toArray(String[]::new));

        assertEquals(200, registry.get("/v2/" + repo + "/manifests/v1", "Accept", Oci.ACCEPT_ALL).status(), "signed by the trusted key");
        String report = run(dir, 0, "verify", "--key", "release.pub", "--insecure", host + "/" + repo + ":v1");
        assertTrue(report.contains("\"verified\" : true") || report.contains("\"verified\":true"), report);
      }
    }
  }
}
