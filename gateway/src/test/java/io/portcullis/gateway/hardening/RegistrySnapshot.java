package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Page;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a registry holds, as far as its clients and its blob directory show it: the catalog, the
 * tags of every repository, the digest each tag resolves to, the referrers of every tagged manifest, and
 * each file under {@code blobs/} with the hash of its bytes. Two snapshots are equal when nothing was
 * added, removed or changed.
 *
 * @param catalog every repository, in order
 * @param tags the tags of each repository, in order
 * @param manifests {@code repo:tag} to the digest it resolves to
 * @param referrers {@code repo@digest} of each tagged manifest to the digests of its referrers
 * @param blobFiles each file under {@code blobs/} (relative path) to the sha256 of its content
 * @param links for each repository, the stored blobs it answers a HEAD for
 */
record RegistrySnapshot(List<String> catalog, Map<String, List<String>> tags, Map<String, String> manifests,
    Map<String, List<String>> referrers, Map<String, String> blobFiles, Map<String, List<String>> links) {

  /** Pushes some ordinary content (several repositories, tags, an index, a referrer); returns the main image. */
  static Image seed(RegistryTestClient registry) {
    Image app = registry.pushImage("seed/app", "v1", 2);
    registry.pushManifest("seed/app", "latest", app.mediaType(), app.manifest());
    Image v2 = registry.pushImage("seed/app", "v2", 1);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(app.descriptor().withPlatform("linux", "amd64"), v2.descriptor().withPlatform("linux", "arm64")));
    registry.pushManifest("seed/app", "multi", Oci.OCI_INDEX, index);
    byte[] sbom = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[]}".getBytes(StandardCharsets.UTF_8);
    registry.uploadBlob("seed/app", Oci.EMPTY_JSON);
    byte[] referrer = Oci.ociManifest()
        .artifactType("application/vnd.cyclonedx+json")
        .config(new Oci.Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null))
        .layer(registry.uploadBlob("seed/app", "application/vnd.cyclonedx+json", sbom))
        .subject(app.descriptor())
        .build();
    registry.pushManifest("seed/app", Oci.sha256(referrer), Oci.OCI_MANIFEST, referrer);
    registry.pushImage("seed/docker", "1.0", 1, true);
    registry.pushImage("seed/deep/nested/name", "only", 3);
    return app;
  }

  static RegistrySnapshot take(RegistryTestClient registry, Path storage) throws IOException {
    List<String> catalog = new ArrayList<>();
    for (String url = "/v2/_catalog?n=2"; url != null; ) {
      Page p = registry.catalogPage(url);
      catalog.addAll(p.items());
      url = p.next();
    }
    Map<String, List<String>> tags = new TreeMap<>();
    Map<String, String> manifests = new TreeMap<>();
    Map<String, List<String>> referrers = new TreeMap<>();
    for (String repo : catalog) {
      List<String> repoTags = new ArrayList<>();
      for (String url = "/v2/" + repo + "/tags/list?n=2"; url != null; ) {
        Page p = registry.tagsPage(url);
        repoTags.addAll(p.items());
        url = p.next();
      }
      tags.put(repo, repoTags);
      for (String tag : repoTags) {
        Resp m = registry.get("/v2/" + repo + "/manifests/" + tag, "Accept", Oci.ACCEPT_ALL);
        assertEquals(200, m.status(), m::toString);
        String digest = m.headerOrNull("Docker-Content-Digest");
        assertEquals(Oci.sha256(m.body()), digest, "the manifest's bytes match its digest");
        manifests.put(repo + ":" + tag, digest);
        Resp r = registry.get("/v2/" + repo + "/referrers/" + digest);
        assertEquals(200, r.status(), r::toString);
        List<String> refs = new ArrayList<>();
        r.json().path("manifests").forEach(d -> refs.add(d.path("digest").asText()));
        referrers.put(repo + "@" + digest, refs);
      }
    }
    Map<String, String> blobFiles = new TreeMap<>();
    Path blobs = storage.resolve("blobs");
    try (Stream<Path> files = Files.walk(blobs)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        blobFiles.put(blobs.relativize(f).toString(), Oci.sha256(Files.readAllBytes(f)));
      }
    }
    Map<String, List<String>> links = new TreeMap<>();
    for (String repo : catalog) {
      List<String> visible = new ArrayList<>();
      for (String file : blobFiles.keySet()) {
        Path p = Path.of(file);
        String digest = p.getName(0) + ":" + p.getFileName();
        Resp head = registry.head("/v2/" + repo + "/blobs/" + digest);
        if (head.status() == 200) visible.add(digest);
      }
      links.put(repo, visible);
    }
    return new RegistrySnapshot(catalog, tags, manifests, referrers, blobFiles, links);
  }

  /** How many uploads are in progress on disk. */
  static long uploadsOnDisk(Path storage) throws IOException {
    try (Stream<Path> files = Files.list(storage.resolve("uploads"))) {
      return files.count();
    }
  }
}
