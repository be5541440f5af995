package io.portcullis.gateway.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestBase;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code skopeo} copies OCI layouts written by the test into the registry and back out, lists
 * tags, inspects and deletes. Digests must survive the round trip unchanged.
 */
class SkopeoInteropTest extends RegistryTestBase {
  private static Path skopeo;
  private static Path policy;

  @TempDir
  Path work;

  @BeforeAll
  static void findSkopeo(@TempDir Path dir) throws Exception {
    skopeo = Cmd.which("skopeo");
    assertNotNull(skopeo, "skopeo is not installed: run `apt-get install -y skopeo` (.ci/run installs it)");
    policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
  }

  private static Cmd.Result skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(skopeo.toString(), "--policy", policy.toString()));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd, 180);
  }

  private static String docker(String repoTag) { return "docker://" + registry.hostPort() + "/" + repoTag; }

  @Test
  void multiLayerImageRoundTripsWithTheSameDigests() throws Exception {
    OciLayout src = new OciLayout(work.resolve("src"));
    OciLayout.Written img = src.image("amd64", 3);
    src.tag(img.manifest(), "v1");
    String repo = "skopeo/multilayer";

    skopeo("copy", "--dest-tls-verify=false", "oci:" + src.dir() + ":v1", docker(repo + ":v1")).ok();

    Resp m = registry.get("/v2/" + repo + "/manifests/v1", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, m.status(), m::toString);
    assertArrayEquals(img.manifestBytes(), m.body(), "the registry holds the manifest skopeo pushed, byte for byte");
    for (Descriptor b : img.blobs()) registry.assertBlob(repo, b.digest(), OciLayout.readBlob(src.dir(), b.digest()));

    Path out = work.resolve("out");
    skopeo("copy", "--src-tls-verify=false", docker(repo + ":v1"), "oci:" + out + ":v1").ok();
    assertEquals(img.manifest().digest(), OciLayout.digestOf(out, "v1"), "manifest digest after the round trip");
    for (Descriptor b : img.blobs()) {
      assertArrayEquals(OciLayout.readBlob(src.dir(), b.digest()), OciLayout.readBlob(out, b.digest()), b.digest());
    }

    Cmd.Result raw = skopeo("inspect", "--raw", "--tls-verify=false", docker(repo + ":v1")).ok();
    assertEquals(new String(img.manifestBytes()).strip(), raw.out().strip(), "skopeo inspect --raw shows the stored manifest");

    JsonNode info = Oci.JSON.readTree(skopeo("inspect", "--tls-verify=false", docker(repo + ":v1")).ok().out());
    assertEquals(img.manifest().digest(), info.path("Digest").asText(), info::toString);
    assertEquals(3, info.path("Layers").size(), info::toString);
    assertEquals("amd64", info.path("Architecture").asText(), info::toString);
  }

  @Test
  void multiArchIndexRoundTripsWithTheSameDigests() throws Exception {
    OciLayout src = new OciLayout(work.resolve("src"));
    OciLayout.Written amd = src.image("amd64", 2);
    OciLayout.Written arm = src.image("arm64", 2);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(amd.manifest().withPlatform("linux", "amd64"),
        arm.manifest().withPlatform("linux", "arm64")));
    Descriptor idx = src.blob(Oci.OCI_INDEX, index);
    src.tag(idx, "multi");
    String repo = "skopeo/multiarch";

    skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + src.dir() + ":multi", docker(repo + ":multi")).ok();

    Resp r = registry.get("/v2/" + repo + "/manifests/multi", "Accept", Oci.OCI_INDEX);
    assertEquals(200, r.status(), r::toString);
    assertEquals(idx.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
    for (OciLayout.Written w : List.of(amd, arm)) {
      Resp child = registry.get("/v2/" + repo + "/manifests/" + w.manifest().digest(), "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, child.status(), child::toString);
    }

    Path out = work.resolve("out");
    skopeo("copy", "--all", "--src-tls-verify=false", docker(repo + ":multi"), "oci:" + out + ":multi").ok();
    assertEquals(idx.digest(), OciLayout.digestOf(out, "multi"), "index digest after the round trip");
    assertArrayEquals(index, OciLayout.readBlob(out, idx.digest()));
    for (OciLayout.Written w : List.of(amd, arm)) {
      assertArrayEquals(w.manifestBytes(), OciLayout.readBlob(out, w.manifest().digest()));
      for (Descriptor b : w.blobs()) assertTrue(Files.exists(out.resolve("blobs/" + b.digest().replace(':', '/'))), b::toString);
    }

    // skopeo resolves the index to the asked platform: Digest names the index, the rest the arm64 image
    JsonNode info = Oci.JSON.readTree(skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64",
        "--override-os", "linux", docker(repo + ":multi")).ok().out());
    assertEquals(idx.digest(), info.path("Digest").asText(), info::toString);
    assertEquals("arm64", info.path("Architecture").asText(), info::toString);
    List<String> layers = new ArrayList<>();
    info.path("Layers").forEach(l -> layers.add(l.asText()));
    assertEquals(arm.blobs().subList(0, 2).stream().map(Descriptor::digest).toList(), layers, info::toString);
  }

  @Test
  void skopeoConvertsToDockerSchema2OnPush() throws Exception {
    OciLayout src = new OciLayout(work.resolve("src"));
    OciLayout.Written img = src.image("amd64", 2);
    src.tag(img.manifest(), "v1");
    String repo = "skopeo/docker-format";
    skopeo("copy", "--format", "v2s2", "--dest-tls-verify=false", "oci:" + src.dir() + ":v1", docker(repo + ":v2s2")).ok();

    Resp m = registry.get("/v2/" + repo + "/manifests/v2s2", "Accept", Oci.ACCEPT_ALL);
    assertEquals(200, m.status(), m::toString);
    assertEquals(Oci.DOCKER_MANIFEST, m.headerOrNull("Content-Type"), m::toString);
    JsonNode manifest = m.json();
    assertEquals(Oci.DOCKER_MANIFEST, manifest.path("mediaType").asText(), manifest::toString);
    List<String> layers = new ArrayList<>();
    manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
    assertEquals(img.blobs().subList(0, 2).stream().map(Descriptor::digest).toList(), layers,
        "conversion changes media types, not layer bytes");
    for (String layer : layers) registry.assertBlob(repo, layer, OciLayout.readBlob(src.dir(), layer));

    Path out = work.resolve("out");
    skopeo("copy", "--src-tls-verify=false", docker(repo + ":v2s2"), "oci:" + out + ":back").ok();
    String backDigest = OciLayout.digestOf(out, "back");
    assertNotNull(backDigest);
    for (String layer : layers) assertArrayEquals(OciLayout.readBlob(src.dir(), layer), OciLayout.readBlob(out, layer));
  }

  @Test
  void listTagsAndDelete() throws Exception {
    OciLayout src = new OciLayout(work.resolve("src"));
    OciLayout.Written img = src.image("amd64", 1);
    src.tag(img.manifest(), "one");
    String repo = "skopeo/tags";
    for (String tag : List.of("one", "two", "three")) {
      skopeo("copy", "--dest-tls-verify=false", "oci:" + src.dir() + ":one", docker(repo + ":" + tag)).ok();
    }
    JsonNode tags = Oci.JSON.readTree(skopeo("list-tags", "--tls-verify=false", docker(repo)).ok().out());
    List<String> listed = new ArrayList<>();
    tags.path("Tags").forEach(t -> listed.add(t.asText()));
    assertEquals(List.of("one", "three", "two"), listed, tags::toString);

    // skopeo delete removes the manifest by digest, and so every tag on it
    skopeo("delete", "--tls-verify=false", docker(repo + ":two")).ok();
    Resp gone = registry.get("/v2/" + repo + "/manifests/" + img.manifest().digest(), "Accept", Oci.OCI_MANIFEST);
    assertEquals(404, gone.status(), gone::toString);
    assertEquals(404, registry.get("/v2/" + repo + "/manifests/one", "Accept", Oci.OCI_MANIFEST).status());
    Cmd.Result again = skopeo("inspect", "--tls-verify=false", docker(repo + ":two"));
    assertTrue(again.exit() != 0, again::toString);
  }

  @Test
  void copyBetweenRepositoriesOfTheRegistry() throws Exception {
    OciLayout src = new OciLayout(work.resolve("src"));
    OciLayout.Written img = src.image("amd64", 2);
    src.tag(img.manifest(), "v1");
    skopeo("copy", "--dest-tls-verify=false", "oci:" + src.dir() + ":v1", docker("skopeo/from:v1")).ok();
    skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", docker("skopeo/from:v1"),
        docker("skopeo/to/deeper:v1")).ok();
    Resp r = registry.get("/v2/skopeo/to/deeper/manifests/v1", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, r.status(), r::toString);
    assertEquals(img.manifest().digest(), r.headerOrNull("Docker-Content-Digest"));
    for (Descriptor b : img.blobs()) {
      registry.assertBlob("skopeo/to/deeper", b.digest(), OciLayout.readBlob(src.dir(), b.digest()));
    }
    List<String> catalog = registry.catalogPage("/v2/_catalog").items();
    assertTrue(catalog.containsAll(List.of("skopeo/from", "skopeo/to/deeper")), catalog::toString);
  }
}
