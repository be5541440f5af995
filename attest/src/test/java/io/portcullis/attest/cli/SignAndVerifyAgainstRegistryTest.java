package io.portcullis.attest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.Fixtures;
import io.portcullis.attest.discovery.EvidenceCollector;
import io.portcullis.attest.registry.RegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * keygen, sign and verify against a real registry (CNCF Distribution 2.8 from Debian's
 * {@code docker-registry} package; {@code .ci/run} must {@code apt-get install -y docker-registry}).
 */
class SignAndVerifyAgainstRegistryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static DistributionRegistry registry;
  static RegistryClient client;
  static String imageDigest;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(DistributionRegistry.available(),
        "docker-registry not installed (apt-get install -y docker-registry); registry tests skipped");
    registry = new DistributionRegistry();
    client = new RegistryClient(registry.address, true);
    String s = "skopeo-sigstore/image/";
    client.pushBlob("demo/app", Fixtures.bytes(s + "config.json"));
    client.pushBlob("demo/app", Fixtures.bytes(s + "layer.tar.gz"));
    imageDigest = client.putManifest("demo/app", "v1", "application/vnd.oci.image.manifest.v1+json",
        Fixtures.bytes(s + "manifest.json"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  record Run(int code, String out, String err) {}

  static Run run(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Path keygen(Path dir, String name, String password) {
    KeygenCommand k = new KeygenCommand();
    k.env = Map.of("PORTCULLIS_PASSWORD", password);
    Path prefix = dir.resolve(name);
    assertEquals(0, run(k, "--output-key-prefix", prefix.toString()).code());
    return prefix;
  }

  static Run sign(Path key, String password, String... more) {
    SignCommand s = new SignCommand();
    s.env = Map.of("PORTCULLIS_PASSWORD", password);
    String[] args = new String[more.length + 3];
    args[0] = "--key";
    args[1] = key.toString();
    args[2] = "--insecure";
    System.arraycopy(more, 0, args, 3, more.length);
    return run(s, args);
  }

  @Test
  void keygenSignVerifyRoundTripWithTagScheme(@TempDir Path dir) throws Exception {
    Path alice = keygen(dir, "alice", "pw-a");
    Path bob = keygen(dir, "bob", "pw-b");
    assertTrue(Files.readString(Path.of(alice + ".key")).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
    String image = registry.address + "/demo/app@" + imageDigest;

    Run unsigned = run(new VerifyCommand(), "--key", alice + ".pub", "--insecure", image);
    assertEquals(1, unsigned.code(), unsigned.err());

    Run signed = sign(Path.of(alice + ".key"), "pw-a", image);
    assertEquals(0, signed.code(), signed.err());
    assertTrue(client.tags("demo/app").contains(EvidenceCollector.cosignTag(imageDigest, "sig")));

    Run ok = run(new VerifyCommand(), "--key", alice + ".pub", "--insecure", registry.address + "/demo/app:v1");
    assertEquals(0, ok.code(), ok.out() + ok.err());
    JsonNode report = JSON.readTree(ok.out());
    assertEquals(imageDigest, report.path("subjectDigest").asText());
    assertTrue(report.path("signatures").get(0).path("verified").asBoolean());
    assertEquals(registry.address + "/demo/app", report.path("signatures").get(0).path("dockerReference").asText());

    Run wrong = run(new VerifyCommand(), "--key", bob + ".pub", "--insecure", image);
    assertEquals(1, wrong.code());
    assertEquals("WRONG_KEY", JSON.readTree(wrong.out()).path("signatures").get(0).path("reason").asText());

    // A second signer appends a layer to the same .sig manifest; both verify.
    assertEquals(0, sign(Path.of(bob + ".key"), "pw-b", image).code());
    JsonNode both = JSON.readTree(run(new VerifyCommand(), "--key", alice + ".pub", "--key", bob + ".pub",
        "--insecure", image).out());
    assertEquals(2, both.path("signatures").size());
    assertTrue(both.path("signatures").get(1).path("verified").asBoolean());
  }

  @Test
  void wrongPasswordAndBadReferenceAreErrors(@TempDir Path dir) {
    Path carol = keygen(dir, "carol", "right");
    assertEquals(2, sign(Path.of(carol + ".key"), "wrong", registry.address + "/demo/app@" + imageDigest).code());
    assertEquals(2, sign(Path.of(carol + ".key"), "right", "no-registry-here").code());
    assertEquals(1, sign(Path.of(carol + ".key"), "right", registry.address + "/demo/missing:v9").code());
  }

  @Test
  void skopeoMadeSignatureVerifiesFromTheRegistry() throws Exception {
    String s = "skopeo-sigstore/";
    client.pushBlob("demo/skopeo", Fixtures.bytes(s + "image/config.json"));
    client.pushBlob("demo/skopeo", Fixtures.bytes(s + "image/layer.tar.gz"));
    String d = client.putManifest("demo/skopeo", "v1", "application/vnd.oci.image.manifest.v1+json",
        Fixtures.bytes(s + "image/manifest.json"));
    client.pushBlob("demo/skopeo", Fixtures.bytes(s + "sig-k1/sig-config.json"));
    client.pushBlob("demo/skopeo", Fixtures.bytes(s + "sig-k1/sig-payload-1.json"));
    client.putManifest("demo/skopeo", EvidenceCollector.cosignTag(d, "sig"), "application/vnd.oci.image.manifest.v1+json",
        Fixtures.bytes(s + "sig-k1/sig-manifest.json"));
    Run ok = run(new VerifyCommand(), "--key", Fixtures.path(s + "keys/cosign.pub").toString(), "--insecure",
        registry.address + "/demo/skopeo:v1");
    assertEquals(0, ok.code(), ok.out() + ok.err());
    Run other = run(new VerifyCommand(), "--key", Fixtures.path(s + "keys/cosign2.pub").toString(), "--insecure",
        registry.address + "/demo/skopeo:v1");
    assertEquals(1, other.code());
    assertFalse(other.out().contains("\"verified\" : true"));
  }
}
