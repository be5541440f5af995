package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.assertError;
import static io.portcullis.gateway.conformance.RegistryTestClient.assertErrorBody;
import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec's error body and codes, each with its status, and names outside the grammar. */
class ErrorsTest extends RegistryTestBase {
  private static final String OCTET = "application/octet-stream";

  // --- names ---------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"Upper/case", "lower/Case", "a//b", "a/../b", "a/./b", "-lead", "trail-", "a/b/",
      "a__-b", "dot./x", "sp%20ace"})
  void invalidNamesAreRefusedWithNameInvalid(String name) {
    byte[] data = Oci.randomBytes(10);
    assertError(registry.post("/v2/" + name + "/blobs/uploads/?digest=" + Oci.sha256(data), data,
        "Content-Type", OCTET), 400, ErrorCodes.NAME_INVALID);
    assertError(registry.post("/v2/" + name + "/blobs/uploads/", null), 400, ErrorCodes.NAME_INVALID);
    assertError(registry.putManifest(name, "v1", Oci.OCI_MANIFEST, "{}".getBytes()), 400, ErrorCodes.NAME_INVALID);
    assertError(registry.get("/v2/" + name + "/tags/list"), 400, ErrorCodes.NAME_INVALID);
    assertError(registry.get("/v2/" + name + "/manifests/v1", "Accept", Oci.ACCEPT_ALL), 400, ErrorCodes.NAME_INVALID);
  }

  @Test
  void overLongNameIsRefused() {
    String name = "a".repeat(150) + "/" + "b".repeat(150);
    assertError(registry.post("/v2/" + name + "/blobs/uploads/", null), 400, ErrorCodes.NAME_INVALID);
    assertError(registry.get("/v2/" + name + "/tags/list"), 400, ErrorCodes.NAME_INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x.y_z__w---v/a0", "a/b/c/d/e/f/g", "team/manifests/tags/blobs", "0/1", "n"})
  void unusualValidNamesWork(String name) {
    Image img = registry.pushImage(name, "v1", 1);
    Resp r = registry.get("/v2/" + name + "/manifests/v1", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, r.status(), r::toString);
    assertArrayEquals(img.manifest(), r.body());
    assertEquals(List.of("v1"), registry.tagsPage("/v2/" + name + "/tags/list").items());
  }

  @Test
  void nameUnknownForTagsOfAMissingRepository() {
    assertError(registry.get("/v2/missing/repo/tags/list"), 404, ErrorCodes.NAME_UNKNOWN);
  }

  // --- tags and references ---------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"-dash", ".dot", "a+b"})
  void invalidTagsAreRefused(String tag) {
    String repo = RegistryTestClient.newRepo("err");
    Image img = registry.pushImage(repo, "ok", 1);
    Resp r = registry.putManifest(repo, RegistryTestClient.encode(tag), Oci.OCI_MANIFEST, img.manifest());
    assertEquals(400, r.status(), r::toString);
    assertErrorBody(r);
  }

  @Test
  void tagOf129CharactersIsRefusedAnd128Accepted() {
    String repo = RegistryTestClient.newRepo("err");
    Image img = registry.pushImage(repo, "ok", 1);
    assertEquals(201, registry.putManifest(repo, "t".repeat(128), Oci.OCI_MANIFEST, img.manifest()).status());
    Resp r = registry.putManifest(repo, "t".repeat(129), Oci.OCI_MANIFEST, img.manifest());
    assertEquals(400, r.status(), r::toString);
    assertErrorBody(r);
  }

  @Test
  void malformedDigestReferenceInManifestPut() {
    // the conformance suite's "400 response body should contain OCI-conforming JSON message"
    String repo = RegistryTestClient.newRepo("err");
    registry.pushImage(repo, "ok", 1);
    Resp r = registry.putManifest(repo, "sha256:totallywrong", Oci.OCI_MANIFEST, "{\"schemaVersion\":2,".getBytes());
    assertTrue(r.status() == 400 || r.status() == 404, r::toString);
    assertErrorBody(r);
  }

  // --- uploads -------------------------------------------------------------------------------------

  @Test
  void unknownUploadIdIsBlobUploadUnknownOnEveryVerb() {
    String repo = RegistryTestClient.newRepo("err");
    registry.pushImage(repo, "ok", 1);
    String loc = "/v2/" + repo + "/blobs/uploads/00000000-dead-beef-0000-000000000000";
    assertError(registry.get(loc), 404, ErrorCodes.BLOB_UPLOAD_UNKNOWN);
    assertError(registry.patch(loc, Oci.randomBytes(10), "Content-Type", OCTET, "Content-Range", "0-9"), 404,
        ErrorCodes.BLOB_UPLOAD_UNKNOWN);
    byte[] data = Oci.randomBytes(10);
    assertError(registry.put(withQuery(loc, "digest", Oci.sha256(data)), data, "Content-Type", OCTET), 404,
        ErrorCodes.BLOB_UPLOAD_UNKNOWN);
    assertError(registry.delete(loc), 404, ErrorCodes.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void uploadSessionIsBoundToItsRepository() {
    String a = RegistryTestClient.newRepo("err");
    String b = RegistryTestClient.newRepo("err");
    registry.pushImage(b, "ok", 1);
    Resp post = registry.post("/v2/" + a + "/blobs/uploads/", null);
    assertEquals(202, post.status(), post::toString);
    String path = registry.resolve(post.headerOrNull("Location")).getRawPath();
    assertTrue(path.startsWith("/v2/" + a + "/blobs/uploads/"), path);
    String foreign = path.replace("/v2/" + a + "/", "/v2/" + b + "/");
    assertError(registry.get(foreign), 404, ErrorCodes.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void putWithoutDigestDoesNotCompleteTheUpload() {
    String repo = RegistryTestClient.newRepo("err");
    Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
    Resp put = registry.put(post.headerOrNull("Location"), Oci.randomBytes(10), "Content-Type", OCTET);
    assertEquals(400, put.status(), put::toString);
    assertErrorBody(put);
    assertTrue(put.errorCodes().contains(ErrorCodes.DIGEST_INVALID) || put.errorCodes().contains(ErrorCodes.BLOB_UPLOAD_INVALID),
        put::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:xyz", "sha256:" + "A0000000000000000000000000000000000000000000000000000000000000000",
      "sha256:abc", "nodigest", "sha256:"})
  void malformedDigestParameterIsDigestInvalid(String digest) {
    String repo = RegistryTestClient.newRepo("err");
    Resp r = registry.post("/v2/" + repo + "/blobs/uploads/?digest=" + RegistryTestClient.encode(digest),
        Oci.randomBytes(5), "Content-Type", OCTET);
    assertError(r, 400, ErrorCodes.DIGEST_INVALID);
  }

  @Test
  void unsupportedDigestAlgorithmIsRefused() {
    String repo = RegistryTestClient.newRepo("err");
    Resp r = registry.post("/v2/" + repo + "/blobs/uploads/?digest=md5:" + "0".repeat(32), Oci.randomBytes(5),
        "Content-Type", OCTET);
    assertEquals(400, r.status(), r::toString);
    assertErrorBody(r);
    assertTrue(r.errorCodes().contains(ErrorCodes.DIGEST_INVALID) || r.errorCodes().contains(ErrorCodes.UNSUPPORTED),
        r::toString);
  }

  @Test
  void chunkWhoseLengthDisagreesWithItsRangeIsRefusedAndLosesNothing() {
    String repo = RegistryTestClient.newRepo("err");
    byte[] data = Oci.randomBytes(300);
    Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
    Resp p1 = registry.patch(post.headerOrNull("Location"), java.util.Arrays.copyOfRange(data, 0, 100),
        "Content-Type", OCTET, "Content-Range", "0-99");
    assertEquals(202, p1.status(), p1::toString);
    String loc = p1.headerOrNull("Location");
    Resp bad = registry.patch(loc, java.util.Arrays.copyOfRange(data, 100, 150), "Content-Type", OCTET,
        "Content-Range", "100-199");
    assertTrue(bad.status() == 416 || bad.status() == 400, bad::toString);
    if (bad.status() == 400) {
      assertErrorBody(bad);
      assertTrue(bad.errorCodes().contains(ErrorCodes.SIZE_INVALID) || bad.errorCodes().contains(ErrorCodes.BLOB_UPLOAD_INVALID),
          bad::toString);
    }
    Resp status = registry.get(loc);
    assertEquals(204, status.status(), status::toString);
    assertEquals("0-99", status.headerOrNull("Range"), () -> "a refused chunk must not be kept: " + status);
  }

  @Test
  void malformedContentRangeIs416() {
    String repo = RegistryTestClient.newRepo("err");
    Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
    Resp r = registry.patch(post.headerOrNull("Location"), Oci.randomBytes(10), "Content-Type", OCTET,
        "Content-Range", "bytes=zero-nine");
    assertEquals(416, r.status(), r::toString);
  }

  // --- manifests -----------------------------------------------------------------------------------

  @Test
  void malformedManifestJsonIsManifestInvalid() {
    String repo = RegistryTestClient.newRepo("err");
    registry.pushImage(repo, "ok", 1);
    for (String body : List.of("{not json", "", "[]", "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\"",
        "null")) {
      assertError(registry.putManifest(repo, "bad", Oci.OCI_MANIFEST, body.getBytes(StandardCharsets.UTF_8)), 400,
          ErrorCodes.MANIFEST_INVALID);
    }
    assertEquals(404, registry.get("/v2/" + repo + "/manifests/bad", "Accept", Oci.ACCEPT_ALL).status());
  }

  @Test
  void structurallyInvalidManifestsAreManifestInvalid() {
    String repo = RegistryTestClient.newRepo("err");
    Image img = registry.pushImage(repo, "ok", 1);
    String cfg = "{\"mediaType\":\"" + Oci.OCI_CONFIG + "\",\"digest\":\"" + Oci.sha256(img.config()) + "\",\"size\":"
        + img.config().length + "}";
    List<String> bodies = List.of(
        "{\"schemaVersion\":1,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"config\":" + cfg + ",\"layers\":[]}",
        "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"layers\":[]}",
        "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"config\":" + cfg + ",\"layers\":{}}",
        "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"nope\",\"size\":1},\"layers\":[]}");
    for (String body : bodies) {
      Resp r = registry.putManifest(repo, "bad", Oci.OCI_MANIFEST, body.getBytes(StandardCharsets.UTF_8));
      assertError(r, 400, ErrorCodes.MANIFEST_INVALID);
    }
  }

  @Test
  void wrongMediaTypeIsManifestInvalid() {
    String repo = RegistryTestClient.newRepo("err");
    Image img = registry.pushImage(repo, "ok", 1);
    // Content-Type disagrees with the manifest's own mediaType
    assertError(registry.putManifest(repo, "bad", Oci.OCI_INDEX, img.manifest()), 400, ErrorCodes.MANIFEST_INVALID);
    // a type that is no manifest at all
    assertError(registry.putManifest(repo, "bad", "text/plain", img.manifest()), 400, ErrorCodes.MANIFEST_INVALID);
    assertEquals(404, registry.get("/v2/" + repo + "/manifests/bad", "Accept", Oci.ACCEPT_ALL).status());
  }

  @Test
  void unknownBlobAndManifestCodes() {
    String repo = RegistryTestClient.newRepo("err");
    registry.pushImage(repo, "ok", 1);
    assertError(registry.get("/v2/" + repo + "/blobs/sha256:" + "9".repeat(64)), 404, ErrorCodes.BLOB_UNKNOWN);
    assertError(registry.get("/v2/" + repo + "/manifests/nope", "Accept", Oci.ACCEPT_ALL), 404, ErrorCodes.MANIFEST_UNKNOWN);
    Descriptor missing = Descriptor.of(Oci.OCI_LAYER, Oci.randomBytes(3));
    Descriptor cfg = Descriptor.of(Oci.OCI_CONFIG, registry.pushImage(repo, "ok2", 1).config());
    byte[] m = Oci.ociManifest().config(cfg).layer(missing).build();
    Resp r = registry.putManifest(repo, "x", Oci.OCI_MANIFEST, m);
    assertError(r, 400, ErrorCodes.MANIFEST_BLOB_UNKNOWN);
  }

  @Test
  void methodNotAllowedOnAKnownPath() {
    String repo = RegistryTestClient.newRepo("err");
    Image img = registry.pushImage(repo, "ok", 1);
    Resp r = registry.put("/v2/" + repo + "/blobs/" + Oci.sha256(img.config()), img.config(), "Content-Type", OCTET);
    assertTrue(r.status() == 405 || r.status() == 404, r::toString);
    assertEquals(200, registry.get("/v2/" + repo + "/blobs/" + Oci.sha256(img.config())).status());
  }
}
