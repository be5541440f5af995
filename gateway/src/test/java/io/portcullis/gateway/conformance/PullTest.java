package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.RawResponse;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pull workflow (distribution-spec "Pull"): manifests and blobs by tag and digest, GET and HEAD, ranges. */
class PullTest extends RegistryTestBase {
  private static final String UNKNOWN_DIGEST = "sha256:" + "0".repeat(63) + "1";

  @Test
  void baseEndpointAnswersWithApiVersion() {
    Resp r = registry.get("/v2/");
    assertEquals(200, r.status(), r::toString);
    assertEquals("registry/2.0", r.headerOrNull("Docker-Distribution-API-Version"), r::toString);
  }

  @Test
  void manifestByTagAndByDigestReturnsTheExactBytes() {
    String repo = RegistryTestClient.newRepo("pull");
    Image img = registry.pushImage(repo, "v1", 2);
    for (String ref : List.of("v1", img.digest())) {
      Resp r = registry.get("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, r.status(), r::toString);
      assertArrayEquals(img.manifest(), r.body(), "manifest bytes by " + ref);
      assertEquals(Oci.OCI_MANIFEST, r.headerOrNull("Content-Type"), r::toString);
      assertEquals(img.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
    }
  }

  @Test
  void headManifestHasLengthAndDigestAndNoBody() {
    String repo = RegistryTestClient.newRepo("pull");
    Image img = registry.pushImage(repo, "head", 1);
    for (String ref : List.of("head", img.digest())) {
      Resp r = registry.head("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, r.status(), r::toString);
      assertEquals(String.valueOf(img.manifest().length), r.headerOrNull("Content-Length"), r::toString);
      assertEquals(img.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
      RawResponse raw = registry.rawHead("/v2/" + repo + "/manifests/" + ref);
      assertEquals(200, raw.status(), raw::headerBlock);
      assertEquals(0, raw.afterHeaders().length, "HEAD must not send a body");
    }
  }

  @Test
  void blobGetReturnsBytesWithDigestAndLength() {
    String repo = RegistryTestClient.newRepo("pull");
    Image img = registry.pushImage(repo, "b", 3);
    for (byte[] layer : img.layers()) {
      String digest = Oci.sha256(layer);
      Resp r = registry.get("/v2/" + repo + "/blobs/" + digest);
      assertEquals(200, r.status(), r::toString);
      assertArrayEquals(layer, r.body());
      assertEquals(digest, r.headerOrNull("Docker-Content-Digest"), r::toString);
      assertEquals(String.valueOf(layer.length), r.headerOrNull("Content-Length"), r::toString);
    }
    registry.assertBlob(repo, Oci.sha256(img.config()), img.config());
  }

  @Test
  void headBlobHasLengthAndDigestAndNoBody() {
    String repo = RegistryTestClient.newRepo("pull");
    byte[] data = Oci.randomBytes(5000);
    String digest = registry.uploadBlob(repo, data);
    Resp r = registry.head("/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, r.status(), r::toString);
    assertEquals("5000", r.headerOrNull("Content-Length"), r::toString);
    assertEquals(digest, r.headerOrNull("Docker-Content-Digest"), r::toString);
    RawResponse raw = registry.rawHead("/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, raw.status(), raw::headerBlock);
    assertEquals("5000", raw.header("Content-Length").orElse(null), raw::headerBlock);
    assertEquals(0, raw.afterHeaders().length, "HEAD must not send a body");
  }

  @Test
  void missingBlobIs404OnGetAndHead() {
    String repo = RegistryTestClient.newRepo("pull");
    registry.pushImage(repo, "x", 1);
    assertError(registry.get("/v2/" + repo + "/blobs/" + UNKNOWN_DIGEST), 404, ErrorCodes.BLOB_UNKNOWN);
    Resp head = registry.head("/v2/" + repo + "/blobs/" + UNKNOWN_DIGEST);
    assertEquals(404, head.status(), head::toString);
    RawResponse raw = registry.rawHead("/v2/" + repo + "/blobs/" + UNKNOWN_DIGEST);
    assertEquals(404, raw.status(), raw::headerBlock);
    assertEquals(0, raw.afterHeaders().length, "HEAD must not send a body, not even an error");
  }

  @Test
  void missingManifestIs404OnGetAndHeadByTagAndDigest() {
    String repo = RegistryTestClient.newRepo("pull");
    registry.pushImage(repo, "present", 1);
    for (String ref : List.of("absent", UNKNOWN_DIGEST)) {
      assertError(registry.get("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.ACCEPT_ALL), 404,
          ErrorCodes.MANIFEST_UNKNOWN);
      Resp head = registry.head("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.ACCEPT_ALL);
      assertEquals(404, head.status(), head::toString);
      RawResponse raw = registry.rawHead("/v2/" + repo + "/manifests/" + ref);
      assertEquals(404, raw.status(), raw::headerBlock);
      assertEquals(0, raw.afterHeaders().length, "HEAD must not send a body, not even an error");
    }
  }

  @Test
  void unknownRepositoryIs404() {
    Resp r = registry.get("/v2/never/pushed/manifests/latest", "Accept", Oci.ACCEPT_ALL);
    assertEquals(404, r.status(), r::toString);
    RegistryTestClient.assertErrorBody(r);
    assertTrue(r.errorCodes().contains(ErrorCodes.NAME_UNKNOWN) || r.errorCodes().contains(ErrorCodes.MANIFEST_UNKNOWN),
        r::toString);
  }

  @Test
  void blobIsNotServedFromARepositoryItWasNeverPushedTo() {
    String a = RegistryTestClient.newRepo("pull");
    String b = RegistryTestClient.newRepo("pull");
    registry.pushImage(b, "other", 1);
    byte[] data = Oci.randomBytes(300);
    String digest = registry.uploadBlob(a, data);
    Resp r = registry.get("/v2/" + b + "/blobs/" + digest);
    assertEquals(404, r.status(), () -> "a blob pushed only to " + a + " leaked into " + b + ": " + r);
  }

  // --- the four manifest types and Accept negotiation ----------------------------------------------

  @Test
  void allFourManifestTypesRoundTripWithTheirContentType() {
    String repo = RegistryTestClient.newRepo("pull");
    Image oci = registry.pushImage(repo, "oci", 1, false);
    Image docker = registry.pushImage(repo, "docker", 1, true);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(oci.descriptor().withPlatform("linux", "amd64")));
    registry.pushManifest(repo, "index", Oci.OCI_INDEX, index);
    byte[] list = Oci.index(Oci.DOCKER_LIST, List.of(docker.descriptor().withPlatform("linux", "amd64")));
    registry.pushManifest(repo, "list", Oci.DOCKER_LIST, list);

    Map<String, Object[]> expected = Map.of(
        "oci", new Object[] {Oci.OCI_MANIFEST, oci.manifest()},
        "docker", new Object[] {Oci.DOCKER_MANIFEST, docker.manifest()},
        "index", new Object[] {Oci.OCI_INDEX, index},
        "list", new Object[] {Oci.DOCKER_LIST, list});
    expected.forEach((tag, e) -> {
      String type = (String) e[0];
      byte[] body = (byte[]) e[1];
      for (String accept : List.of(type, Oci.ACCEPT_ALL, type + ";q=0.9, application/json;q=0.1")) {
        Resp r = registry.get("/v2/" + repo + "/manifests/" + tag, "Accept", accept);
        assertEquals(200, r.status(), () -> "Accept " + accept + ": " + r);
        assertEquals(type, r.headerOrNull("Content-Type"), () -> "Accept " + accept + ": " + r);
        assertArrayEquals(body, r.body(), tag);
        assertEquals(Oci.sha256(body), r.headerOrNull("Docker-Content-Digest"), r::toString);
      }
      Resp byDigest = registry.get("/v2/" + repo + "/manifests/" + Oci.sha256(body), "Accept", type);
      assertEquals(200, byDigest.status(), byDigest::toString);
      assertEquals(type, byDigest.headerOrNull("Content-Type"), byDigest::toString);
      Resp head = registry.head("/v2/" + repo + "/manifests/" + tag, "Accept", type);
      assertEquals(200, head.status(), head::toString);
      assertEquals(type, head.headerOrNull("Content-Type"), head::toString);
    });
  }

  @Test
  void acceptMayComeAsSeveralHeaderLines() {
    // RFC 9110: repeated header fields equal one comma-joined field; containers/image (skopeo, podman) sends
    // one Accept line per media type
    String repo = RegistryTestClient.newRepo("pull");
    Image child = registry.pushImage(repo, "child", 1);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(child.descriptor().withPlatform("linux", "amd64")));
    registry.pushManifest(repo, "index", Oci.OCI_INDEX, index);
    for (String method : List.of("GET", "HEAD")) {
      Resp r = registry.send(method, "/v2/" + repo + "/manifests/index", java.net.http.HttpRequest.BodyPublishers.noBody(),
          "Accept", Oci.OCI_MANIFEST, "Accept", Oci.DOCKER_MANIFEST, "Accept", Oci.DOCKER_LIST, "Accept", Oci.OCI_INDEX);
      assertEquals(200, r.status(), r::toString);
      assertEquals(Oci.OCI_INDEX, r.headerOrNull("Content-Type"), r::toString);
    }
  }

  @Test
  void noAcceptHeaderOrAWildcardGetsTheStoredType() {
    // RFC 9110 12.5.1: no Accept means any media type is acceptable
    String repo = RegistryTestClient.newRepo("pull");
    Image oci = registry.pushImage(repo, "oci", 1, false);
    Image docker = registry.pushImage(repo, "docker", 1, true);
    for (Image img : List.of(oci, docker)) {
      String tag = img == oci ? "oci" : "docker";
      Resp none = registry.get("/v2/" + repo + "/manifests/" + tag);
      assertEquals(200, none.status(), none::toString);
      assertEquals(img.mediaType(), none.headerOrNull("Content-Type"), none::toString);
      assertArrayEquals(img.manifest(), none.body());
      Resp any = registry.get("/v2/" + repo + "/manifests/" + tag, "Accept", "*/*");
      assertEquals(200, any.status(), any::toString);
      assertEquals(img.mediaType(), any.headerOrNull("Content-Type"), any::toString);
      Resp headNone = registry.head("/v2/" + repo + "/manifests/" + img.digest());
      assertEquals(200, headNone.status(), headNone::toString);
    }
  }

  // --- Range requests -----------------------------------------------------------------------------

  @Test
  void blobAdvertisesByteRanges() {
    String repo = RegistryTestClient.newRepo("pull");
    String digest = registry.uploadBlob(repo, Oci.randomBytes(100));
    Resp get = registry.get("/v2/" + repo + "/blobs/" + digest);
    assertEquals("bytes", get.headerOrNull("Accept-Ranges"), get::toString);
    Resp head = registry.head("/v2/" + repo + "/blobs/" + digest);
    assertEquals("bytes", head.headerOrNull("Accept-Ranges"), head::toString);
  }

  @Test
  void rangeRequestsReturnPartialContent() {
    String repo = RegistryTestClient.newRepo("pull");
    byte[] data = Oci.randomBytes(10_000);
    String digest = registry.uploadBlob(repo, data);
    String path = "/v2/" + repo + "/blobs/" + digest;

    Resp mid = registry.get(path, "Range", "bytes=100-199");
    assertEquals(206, mid.status(), mid::toString);
    assertEquals("bytes 100-199/10000", mid.headerOrNull("Content-Range"), mid::toString);
    assertEquals("100", mid.headerOrNull("Content-Length"), mid::toString);
    assertArrayEquals(Arrays.copyOfRange(data, 100, 200), mid.body());

    Resp open = registry.get(path, "Range", "bytes=9000-");
    assertEquals(206, open.status(), open::toString);
    assertEquals("bytes 9000-9999/10000", open.headerOrNull("Content-Range"), open::toString);
    assertArrayEquals(Arrays.copyOfRange(data, 9000, 10_000), open.body());

    Resp suffix = registry.get(path, "Range", "bytes=-10");
    assertEquals(206, suffix.status(), suffix::toString);
    assertEquals("bytes 9990-9999/10000", suffix.headerOrNull("Content-Range"), suffix::toString);
    assertArrayEquals(Arrays.copyOfRange(data, 9990, 10_000), suffix.body());

    Resp pastEnd = registry.get(path, "Range", "bytes=9990-20000");
    assertEquals(206, pastEnd.status(), pastEnd::toString);
    assertEquals("bytes 9990-9999/10000", pastEnd.headerOrNull("Content-Range"), pastEnd::toString);
    assertArrayEquals(Arrays.copyOfRange(data, 9990, 10_000), pastEnd.body());
  }

  @Test
  void largeBlobsAndLargeRangesArriveWhole() {
    // Over 1 MiB: large reads go through the server's reusable direct buffers, in several refills.
    String repo = RegistryTestClient.newRepo("pull");
    int size = 3 * 1024 * 1024 + 12_345;
    byte[] data = Oci.randomBytes(size);
    String digest = registry.uploadBlob(repo, data);
    String path = "/v2/" + repo + "/blobs/" + digest;
    for (int i = 0; i < 3; i++) {
      Resp whole = registry.get(path);
      assertEquals(200, whole.status(), whole::toString);
      assertEquals(Integer.toString(size), whole.headerOrNull("Content-Length"), whole::toString);
      assertArrayEquals(data, whole.body());
    }
    int from = 1024 * 1024 - 7;
    int to = 3 * 1024 * 1024 + 99;
    Resp range = registry.get(path, "Range", "bytes=" + from + "-" + to);
    assertEquals(206, range.status(), range::toString);
    assertEquals("bytes " + from + "-" + to + "/" + size, range.headerOrNull("Content-Range"), range::toString);
    assertArrayEquals(Arrays.copyOfRange(data, from, to + 1), range.body());
    Resp tail = registry.get(path, "Range", "bytes=-300000");
    assertEquals(206, tail.status(), tail::toString);
    assertArrayEquals(Arrays.copyOfRange(data, size - 300_000, size), tail.body());
  }

  @Test
  void unsatisfiableRangeIs416WithSize() {
    String repo = RegistryTestClient.newRepo("pull");
    String digest = registry.uploadBlob(repo, Oci.randomBytes(1000));
    Resp r = registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=1000-1100");
    assertEquals(416, r.status(), r::toString);
    assertEquals("bytes */1000", r.headerOrNull("Content-Range"), r::toString);
  }

  @Test
  void childManifestsOfAnIndexArePullableByDigest() {
    String repo = RegistryTestClient.newRepo("pull");
    Image amd = registry.pushImage(repo, null, 1);
    Image arm = registry.pushImage(repo, null, 1);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(amd.descriptor().withPlatform("linux", "amd64"),
        arm.descriptor().withPlatform("linux", "arm64")));
    Descriptor idx = registry.pushManifest(repo, "multi", Oci.OCI_INDEX, index);
    Resp r = registry.get("/v2/" + repo + "/manifests/multi", "Accept", Oci.OCI_INDEX);
    assertEquals(idx.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
    for (Image child : List.of(amd, arm)) {
      JsonAssert.containsDigest(r.json().path("manifests"), child.digest());
      Resp c = registry.get("/v2/" + repo + "/manifests/" + child.digest(), "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, c.status(), c::toString);
      assertArrayEquals(child.manifest(), c.body());
    }
  }
}
