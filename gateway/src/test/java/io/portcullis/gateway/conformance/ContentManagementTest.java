package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Content management (distribution-spec "Content Management"): deleting tags, manifests and blobs. */
class ContentManagementTest extends RegistryTestBase {

  private static Resp getManifest(String repo, String ref) {
    return registry.get("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.ACCEPT_ALL);
  }

  private static List<String> tags(String repo) {
    return registry.tagsPage("/v2/" + repo + "/tags/list").items();
  }

  @Test
  void deletingATagRemovesOnlyThatTag() {
    String repo = RegistryTestClient.newRepo("mgmt");
    Image img = registry.pushImage(repo, "keep", 1);
    registry.pushManifest(repo, "drop", Oci.OCI_MANIFEST, img.manifest());
    assertEquals(List.of("drop", "keep"), tags(repo));

    Resp del = registry.delete("/v2/" + repo + "/manifests/drop");
    assertEquals(202, del.status(), del::toString);

    assertError(getManifest(repo, "drop"), 404, ErrorCodes.MANIFEST_UNKNOWN);
    assertEquals(200, getManifest(repo, "keep").status());
    Resp byDigest = getManifest(repo, img.digest());
    assertEquals(200, byDigest.status(), () -> "the manifest must outlive its tag: " + byDigest);
    assertArrayEquals(img.manifest(), byDigest.body());
    assertEquals(List.of("keep"), tags(repo));
    for (byte[] layer : img.layers()) registry.assertBlob(repo, Oci.sha256(layer), layer);

    Resp again = registry.delete("/v2/" + repo + "/manifests/drop");
    assertEquals(404, again.status(), again::toString);
  }

  @Test
  void deletingTheOnlyTagKeepsTheManifestByDigest() {
    String repo = RegistryTestClient.newRepo("mgmt");
    Image img = registry.pushImage(repo, "only", 1);
    assertEquals(202, registry.delete("/v2/" + repo + "/manifests/only").status());
    assertEquals(200, getManifest(repo, img.digest()).status());
    assertEquals(List.of(), tags(repo));
  }

  @Test
  void deletingAManifestByDigestRemovesItAndItsTags() {
    String repo = RegistryTestClient.newRepo("mgmt");
    Image img = registry.pushImage(repo, "t1", 1);
    registry.pushManifest(repo, "t2", Oci.OCI_MANIFEST, img.manifest());
    Image other = registry.pushImage(repo, "other", 1);

    Resp del = registry.delete("/v2/" + repo + "/manifests/" + img.digest());
    assertEquals(202, del.status(), del::toString);

    assertError(getManifest(repo, img.digest()), 404, ErrorCodes.MANIFEST_UNKNOWN);
    Resp head = registry.head("/v2/" + repo + "/manifests/" + img.digest(), "Accept", Oci.ACCEPT_ALL);
    assertEquals(404, head.status(), head::toString);
    assertEquals(404, getManifest(repo, "t1").status());
    assertEquals(404, getManifest(repo, "t2").status());
    assertEquals(List.of("other"), tags(repo));
    assertEquals(200, getManifest(repo, other.digest()).status());

    Resp again = registry.delete("/v2/" + repo + "/manifests/" + img.digest());
    assertError(again, 404, ErrorCodes.MANIFEST_UNKNOWN);
  }

  @Test
  void deletingAManifestInOneRepositoryLeavesTheSameManifestInAnother() {
    String a = RegistryTestClient.newRepo("mgmt");
    String b = RegistryTestClient.newRepo("mgmt");
    Image img = registry.pushImage(a, "v1", 2);
    for (byte[] layer : img.layers()) registry.uploadBlob(b, layer);
    registry.uploadBlob(b, img.config());
    registry.pushManifest(b, "v1", Oci.OCI_MANIFEST, img.manifest());

    assertEquals(202, registry.delete("/v2/" + a + "/manifests/" + img.digest()).status());
    assertEquals(404, getManifest(a, img.digest()).status());
    Resp inB = getManifest(b, "v1");
    assertEquals(200, inB.status(), inB::toString);
    assertArrayEquals(img.manifest(), inB.body());
  }

  @Test
  void deletingABlob() {
    String repo = RegistryTestClient.newRepo("mgmt");
    byte[] data = Oci.randomBytes(777);
    String digest = registry.uploadBlob(repo, data);
    Resp del = registry.delete("/v2/" + repo + "/blobs/" + digest);
    assertEquals(202, del.status(), del::toString);
    assertError(registry.get("/v2/" + repo + "/blobs/" + digest), 404, ErrorCodes.BLOB_UNKNOWN);
    assertEquals(404, registry.head("/v2/" + repo + "/blobs/" + digest).status());
    assertError(registry.delete("/v2/" + repo + "/blobs/" + digest), 404, ErrorCodes.BLOB_UNKNOWN);
    // it can be pushed again afterwards
    assertEquals(digest, registry.uploadBlob(repo, data));
    registry.assertBlob(repo, digest, data);
  }

  @Test
  void deletingABlobFromOneRepositoryLeavesItInAnother() {
    String a = RegistryTestClient.newRepo("mgmt");
    String b = RegistryTestClient.newRepo("mgmt");
    byte[] data = Oci.randomBytes(4321);
    String digest = registry.uploadBlob(a, data);
    registry.uploadBlob(b, data);
    assertEquals(202, registry.delete("/v2/" + a + "/blobs/" + digest).status());
    assertEquals(404, registry.get("/v2/" + a + "/blobs/" + digest).status());
    registry.assertBlob(b, digest, data);
  }

  @Test
  void deletingAnUnknownBlobIs404() {
    String repo = RegistryTestClient.newRepo("mgmt");
    registry.pushImage(repo, "x", 1);
    assertError(registry.delete("/v2/" + repo + "/blobs/sha256:" + "ef".repeat(32)), 404, ErrorCodes.BLOB_UNKNOWN);
  }

  @Test
  void deletingAReferrerRemovesItFromTheReferrersList() {
    String repo = RegistryTestClient.newRepo("mgmt");
    Descriptor subject = registry.pushImage(repo, "s", 1).descriptor();
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    Descriptor empty = new Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null);
    byte[] keep = Oci.ociManifest().artifactType("application/x.keep").config(empty).subject(subject).build();
    byte[] drop = Oci.ociManifest().artifactType("application/x.drop").config(empty).subject(subject).build();
    registry.pushManifest(repo, Oci.sha256(keep), Oci.OCI_MANIFEST, keep);
    registry.pushManifest(repo, Oci.sha256(drop), Oci.OCI_MANIFEST, drop);
    assertEquals(202, registry.delete("/v2/" + repo + "/manifests/" + Oci.sha256(drop)).status());
    Resp r = registry.get("/v2/" + repo + "/referrers/" + subject.digest());
    assertEquals(200, r.status(), r::toString);
    List<String> digests = JsonAssert.digests(r.json().path("manifests"));
    assertEquals(List.of(Oci.sha256(keep)), digests);
  }

  @Test
  void deletingAnIndexKeepsItsChildren() {
    String repo = RegistryTestClient.newRepo("mgmt");
    Image child = registry.pushImage(repo, null, 1);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(child.descriptor().withPlatform("linux", "amd64")));
    registry.pushManifest(repo, "multi", Oci.OCI_INDEX, index);
    assertEquals(202, registry.delete("/v2/" + repo + "/manifests/" + Oci.sha256(index)).status());
    assertEquals(404, getManifest(repo, "multi").status());
    assertEquals(200, getManifest(repo, child.digest()).status());
    assertFalse(tags(repo).contains("multi"));
    assertTrue(tags(repo).isEmpty());
  }
}
