package io.portcullis.gateway.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestBase;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import land.oras.Annotations;
import land.oras.ArtifactType;
import land.oras.ContainerRef;
import land.oras.LocalPath;
import land.oras.Manifest;
import land.oras.ManifestDescriptor;
import land.oras.Referrers;
import land.oras.Registry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ORAS Java SDK as a real client: artifacts pushed, attached to a subject (which needs the registry's
 * {@code OCI-Subject} header, the SDK has no fallback), found again through the referrers API, pulled and listed.
 */
class OrasInteropTest extends RegistryTestBase {
  private static final String SBOM = "application/vnd.cyclonedx+json";
  private static final String SIG = "application/vnd.dev.sigstore.bundle.v0.3+json";

  private static Registry oras;

  @TempDir
  Path work;

  @BeforeAll
  static void client() {
    oras = Registry.builder().insecure().build();
  }

  private static ContainerRef ref(String repoAndTag) {
    return ContainerRef.parse(registry.hostPort() + "/" + repoAndTag);
  }

  private Path file(String name, String content) throws Exception {
    Path p = work.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static String digestOf(String repo, String reference) {
    Resp r = registry.head("/v2/" + repo + "/manifests/" + reference, "Accept", Oci.ACCEPT_ALL);
    assertEquals(200, r.status(), r::toString);
    return r.headerOrNull("Docker-Content-Digest");
  }

  @Test
  void pushPullAndListTags() throws Exception {
    Path a = file("a.txt", "hello from oras");
    Path b = file("b.json", "{\"k\":1}");
    Manifest pushed = oras.pushArtifact(ref("oras/artifact:v1"), ArtifactType.from("application/vnd.portcullis.demo"),
        Annotations.ofManifest(new HashMap<>(Map.of("org.opencontainers.image.description", "demo"))),
        LocalPath.of(a, "text/plain"), LocalPath.of(b, "application/json"));
    assertNotNull(pushed);
    oras.pushArtifact(ref("oras/artifact:v2"), ArtifactType.from("application/vnd.portcullis.demo"), LocalPath.of(a));

    Resp m = registry.get("/v2/oras/artifact/manifests/v1", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, m.status(), m::toString);
    assertEquals("application/vnd.portcullis.demo", m.json().path("artifactType").asText(), m::toString);
    assertEquals(2, m.json().path("layers").size(), m::toString);

    Path out = work.resolve("pulled");
    Files.createDirectories(out);
    oras.pullArtifact(ref("oras/artifact:v1"), out, true);
    assertEquals("hello from oras", Files.readString(out.resolve("a.txt")));
    assertEquals("{\"k\":1}", Files.readString(out.resolve("b.json")));

    assertEquals(List.of("v1", "v2"), oras.getTags(ref("oras/artifact")).tags());
    Manifest fetched = oras.getManifest(ref("oras/artifact:v1"));
    assertEquals("application/vnd.portcullis.demo", fetched.getArtifactTypeAsString());
  }

  @Test
  void attachedArtifactsAreFoundThroughTheReferrersApi() throws Exception {
    Path subjectFile = file("app.bin", "the subject artifact");
    oras.pushArtifact(ref("oras/app:1.0"), ArtifactType.from("application/vnd.portcullis.app"), LocalPath.of(subjectFile));
    String subjectDigest = digestOf("oras/app", "1.0");

    Manifest sbom = oras.attachArtifact(ref("oras/app:1.0"), ArtifactType.from(SBOM),
        Annotations.ofManifest(new HashMap<>(Map.of("org.example.format", "cyclonedx"))),
        LocalPath.of(file("sbom.json", "{\"bomFormat\":\"CycloneDX\"}"), SBOM));
    Manifest sig = oras.attachArtifact(ref("oras/app:1.0"), ArtifactType.from(SIG),
        LocalPath.of(file("sig.json", "{\"sig\":true}"), SIG));
    assertEquals(subjectDigest, sbom.getSubject().getDigest());
    assertEquals(subjectDigest, sig.getSubject().getDigest());

    Referrers all = oras.getReferrers(ref("oras/app").withDigest(subjectDigest), null);
    Map<String, ManifestDescriptor> byType = all.getManifests().stream()
        .collect(Collectors.toMap(ManifestDescriptor::getArtifactType, d -> d));
    assertEquals(Set.of(SBOM, SIG), byType.keySet(), all::toJson);
    assertEquals("cyclonedx", byType.get(SBOM).getAnnotations().get("org.example.format"), all::toJson);
    assertEquals(Oci.OCI_MANIFEST, byType.get(SBOM).getMediaType());

    Referrers onlySbom = oras.getReferrers(ref("oras/app").withDigest(subjectDigest), ArtifactType.from(SBOM));
    assertEquals(1, onlySbom.getManifests().size(), onlySbom::toJson);
    assertEquals(SBOM, onlySbom.getManifests().get(0).getArtifactType());

    // the referrer itself can be pulled by its digest
    String sbomDigest = byType.get(SBOM).getDigest();
    Path out = work.resolve("sbom-out");
    Files.createDirectories(out);
    oras.pullArtifact(ref("oras/app").withDigest(sbomDigest), out, true);
    assertTrue(Files.readString(out.resolve("sbom.json")).contains("CycloneDX"));

    Referrers none = oras.getReferrers(ref("oras/app").withDigest("sha256:" + "3".repeat(64)), null);
    assertEquals(0, none.getManifests().size());
  }

  @Test
  void repositoriesAreListed() throws Exception {
    oras.pushArtifact(ref("oras/listed/one:x"), ArtifactType.from("application/vnd.portcullis.demo"),
        LocalPath.of(file("x.txt", "x")));
    Registry scoped = Registry.builder().insecure().withRegistry(registry.hostPort()).build();
    List<String> repos = scoped.getRepositories().repositories();
    assertTrue(repos.contains("oras/listed/one"), repos::toString);
  }
}
