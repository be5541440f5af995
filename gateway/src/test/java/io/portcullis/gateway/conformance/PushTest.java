package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.assertError;
import static io.portcullis.gateway.conformance.RegistryTestClient.assertLocation;
import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The push workflow (distribution-spec "Push"): every way to upload a blob, mounts, and manifest PUT rules. */
class PushTest extends RegistryTestBase {
  private static final String OCTET = "application/octet-stream";

  private static String uploads(String repo) { return "/v2/" + repo + "/blobs/uploads/"; }

  private static String startUpload(String repo) {
    Resp post = registry.post(uploads(repo), null);
    assertEquals(202, post.status(), post::toString);
    assertLocation(post);
    return post.headerOrNull("Location");
  }

  // --- monolithic ---------------------------------------------------------------------------------

  @Test
  void singlePostWithDigestCreatesTheBlob() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(4096);
    String digest = Oci.sha256(data);
    Resp r = registry.post(withQuery(uploads(repo), "digest", digest), data, "Content-Type", OCTET);
    assertEquals(201, r.status(), r::toString);
    assertLocation(r);
    assertEquals(digest, r.headerOrNull("Docker-Content-Digest"), r::toString);
    Resp pulled = registry.get(r.headerOrNull("Location"));
    assertEquals(200, pulled.status(), pulled::toString);
    assertArrayEquals(data, pulled.body());
    registry.assertBlob(repo, digest, data);
  }

  @Test
  void postThenPutCreatesTheBlob() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(3000);
    String digest = Oci.sha256(data);
    String location = startUpload(repo);
    Resp put = registry.put(withQuery(location, "digest", digest), data, "Content-Type", OCTET);
    assertEquals(201, put.status(), put::toString);
    assertLocation(put);
    assertEquals(digest, put.headerOrNull("Docker-Content-Digest"), put::toString);
    assertEquals(200, registry.get(put.headerOrNull("Location")).status());
    registry.assertBlob(repo, digest, data);
  }

  @Test
  void streamedPatchWithoutRangeThenEmptyPut() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(70_000);
    String digest = Oci.sha256(data);
    Resp patch = registry.patch(startUpload(repo), data, "Content-Type", OCTET);
    assertEquals(202, patch.status(), patch::toString);
    assertLocation(patch);
    Resp put = registry.put(withQuery(patch.headerOrNull("Location"), "digest", digest), null);
    assertEquals(201, put.status(), put::toString);
    assertLocation(put);
    registry.assertBlob(repo, digest, data);
  }

  @Test
  void emptyBlobCanBePushed() {
    String repo = RegistryTestClient.newRepo("push");
    String digest = registry.uploadBlob(repo, new byte[0]);
    assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest);
    registry.assertBlob(repo, digest, new byte[0]);
  }

  // --- chunked --------------------------------------------------------------------------------------

  @Test
  void chunkedUploadInOrderWithStatusAndRetries() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(3 * 1024 * 1024 + 17);
    String digest = Oci.sha256(data);
    int cut = 2 * 1024 * 1024;
    byte[] chunk1 = Arrays.copyOfRange(data, 0, cut);
    byte[] chunk2 = Arrays.copyOfRange(data, cut, data.length);
    String range1 = "0-" + (cut - 1);
    String range2 = cut + "-" + (data.length - 1);

    Resp post = registry.post(uploads(repo), null);
    assertEquals(202, post.status(), post::toString);
    String first = post.headerOrNull("Location");

    Resp p1 = registry.patch(first, chunk1, "Content-Type", OCTET, "Content-Range", range1);
    assertEquals(202, p1.status(), p1::toString);
    assertLocation(p1);
    assertEquals(range1, p1.headerOrNull("Range"), p1::toString);

    Resp retry = registry.patch(first, chunk1, "Content-Type", OCTET, "Content-Range", range1);
    assertEquals(416, retry.status(), () -> "re-sent chunk must be refused: " + retry);

    Resp status = registry.get(first);
    assertEquals(204, status.status(), status::toString);
    assertLocation(status);
    assertEquals(range1, status.headerOrNull("Range"), status::toString);

    Resp p2 = registry.patch(status.headerOrNull("Location"), chunk2, "Content-Type", OCTET, "Content-Range", range2);
    assertEquals(202, p2.status(), p2::toString);
    assertLocation(p2);
    assertEquals("0-" + (data.length - 1), p2.headerOrNull("Range"), p2::toString);

    Resp put = registry.put(withQuery(p2.headerOrNull("Location"), "digest", digest), null, "Content-Type", OCTET);
    assertEquals(201, put.status(), put::toString);
    assertLocation(put);
    assertEquals(digest, put.headerOrNull("Docker-Content-Digest"), put::toString);
    registry.assertBlob(repo, digest, data);
  }

  @Test
  void finalChunkMayComeWithThePut() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(50_000);
    String digest = Oci.sha256(data);
    Resp p1 = registry.patch(startUpload(repo), Arrays.copyOfRange(data, 0, 20_000), "Content-Type", OCTET,
        "Content-Range", "0-19999");
    assertEquals(202, p1.status(), p1::toString);
    Resp put = registry.put(withQuery(p1.headerOrNull("Location"), "digest", digest),
        Arrays.copyOfRange(data, 20_000, data.length), "Content-Type", OCTET, "Content-Range", "20000-49999");
    assertEquals(201, put.status(), put::toString);
    registry.assertBlob(repo, digest, data);
  }

  @Test
  void outOfOrderFirstChunkIs416() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(2000);
    Resp r = registry.patch(startUpload(repo), Arrays.copyOfRange(data, 1000, 2000), "Content-Type", OCTET,
        "Content-Range", "1000-1999");
    assertEquals(416, r.status(), r::toString);
  }

  @Test
  void gapAndOverlapAfterAChunkAre416AndKeepTheUploadUsable() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(3000);
    Resp p1 = registry.patch(startUpload(repo), Arrays.copyOfRange(data, 0, 1000), "Content-Type", OCTET,
        "Content-Range", "0-999");
    assertEquals(202, p1.status(), p1::toString);
    String loc = p1.headerOrNull("Location");
    Resp gap = registry.patch(loc, Arrays.copyOfRange(data, 1500, 2000), "Content-Type", OCTET, "Content-Range", "1500-1999");
    assertEquals(416, gap.status(), gap::toString);
    Resp overlap = registry.patch(loc, Arrays.copyOfRange(data, 500, 1500), "Content-Type", OCTET, "Content-Range", "500-1499");
    assertEquals(416, overlap.status(), overlap::toString);
    Resp status = registry.get(loc);
    assertEquals(204, status.status(), status::toString);
    assertEquals("0-999", status.headerOrNull("Range"), status::toString);
    Resp p2 = registry.patch(status.headerOrNull("Location"), Arrays.copyOfRange(data, 1000, 3000), "Content-Type", OCTET,
        "Content-Range", "1000-2999");
    assertEquals(202, p2.status(), p2::toString);
    Resp put = registry.put(withQuery(p2.headerOrNull("Location"), "digest", Oci.sha256(data)), null);
    assertEquals(201, put.status(), put::toString);
    registry.assertBlob(repo, Oci.sha256(data), data);
  }

  @Test
  void uploadStatusOfAFreshSessionIs204WithLocation() {
    String repo = RegistryTestClient.newRepo("push");
    Resp status = registry.get(startUpload(repo));
    assertEquals(204, status.status(), status::toString);
    assertLocation(status);
    assertTrue(status.header("Range").isPresent(), status::toString);
  }

  @Test
  void cancelledUploadIsGone() {
    String repo = RegistryTestClient.newRepo("push");
    String loc = startUpload(repo);
    Resp p = registry.patch(loc, Oci.randomBytes(100), "Content-Type", OCTET, "Content-Range", "0-99");
    assertEquals(202, p.status(), p::toString);
    Resp del = registry.delete(p.headerOrNull("Location"));
    assertEquals(204, del.status(), del::toString);
    assertError(registry.get(loc), 404, ErrorCodes.BLOB_UPLOAD_UNKNOWN);
    assertError(registry.patch(loc, Oci.randomBytes(10), "Content-Type", OCTET, "Content-Range", "100-109"), 404,
        ErrorCodes.BLOB_UPLOAD_UNKNOWN);
    assertError(registry.delete(loc), 404, ErrorCodes.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void completedUploadSessionCannotBeReused() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(100);
    String loc = startUpload(repo);
    Resp put = registry.put(withQuery(loc, "digest", Oci.sha256(data)), data, "Content-Type", OCTET);
    assertEquals(201, put.status(), put::toString);
    assertError(registry.get(loc), 404, ErrorCodes.BLOB_UPLOAD_UNKNOWN);
  }

  // --- cross-repository mount ------------------------------------------------------------------------

  @Test
  void mountFromAnotherRepositoryIs201() {
    String from = RegistryTestClient.newRepo("push");
    String to = RegistryTestClient.newRepo("mount");
    byte[] data = Oci.randomBytes(2048);
    String digest = registry.uploadBlob(from, data);
    Resp r = registry.post(uploads(to) + "?mount=" + digest + "&from=" + from, null);
    assertEquals(201, r.status(), r::toString);
    assertEquals("/v2/" + to + "/blobs/" + digest, registry.resolve(r.headerOrNull("Location")).getPath(), r::toString);
    assertEquals(digest, r.headerOrNull("Docker-Content-Digest"), r::toString);
    registry.assertBlob(to, digest, data);
  }

  @Test
  void mountOfUnknownBlobFallsBackToAnUpload() {
    String from = RegistryTestClient.newRepo("push");
    String to = RegistryTestClient.newRepo("mount");
    registry.pushImage(from, "x", 1);
    String unknown = "sha256:" + "ab".repeat(32);
    Resp r = registry.post(uploads(to) + "?mount=" + unknown + "&from=" + from, null);
    assertEquals(202, r.status(), r::toString);
    assertTrue(registry.resolve(r.headerOrNull("Location")).getPath().startsWith("/v2/" + to + "/blobs/uploads/"),
        r::toString);
    byte[] data = Oci.randomBytes(10);
    Resp put = registry.put(withQuery(r.headerOrNull("Location"), "digest", Oci.sha256(data)), data, "Content-Type", OCTET);
    assertEquals(201, put.status(), () -> "the fallback session must be usable: " + put);
  }

  @Test
  void mountWithoutFromIsAnUploadSessionOrAnAutomaticMount() {
    String from = RegistryTestClient.newRepo("push");
    String to = RegistryTestClient.newRepo("mount");
    byte[] data = Oci.randomBytes(64);
    String digest = registry.uploadBlob(from, data);
    Resp unknown = registry.post(uploads(to) + "?mount=sha256:" + "cd".repeat(32), null);
    assertEquals(202, unknown.status(), unknown::toString);
    assertLocation(unknown);
    Resp auto = registry.post(uploads(to) + "?mount=" + digest, null);
    assertEquals(201, auto.status(), () -> "issue 2 asks for automatic mount of a readable blob: " + auto);
    registry.assertBlob(to, digest, data);
  }

  // --- manifests -------------------------------------------------------------------------------------

  @Test
  void manifestPutUnderSeveralTagsAndByDigest() {
    String repo = RegistryTestClient.newRepo("push");
    Image img = registry.pushImage(repo, "test0", 1);
    for (String tag : List.of("test1", "test2", "test3")) {
      Resp r = registry.putManifest(repo, tag, Oci.OCI_MANIFEST, img.manifest());
      assertEquals(201, r.status(), r::toString);
      assertLocation(r);
      assertEquals(img.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
    }
    for (String tag : List.of("test0", "test1", "test2", "test3")) {
      Resp get = registry.get("/v2/" + repo + "/manifests/" + tag, "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, get.status(), () -> "every tag stays after the same manifest is tagged again: " + get);
    }
    assertEquals(List.of("test0", "test1", "test2", "test3"), registry.tagsPage("/v2/" + repo + "/tags/list").items());
    Resp byDigest = registry.putManifest(repo, img.digest(), Oci.OCI_MANIFEST, img.manifest());
    assertEquals(201, byDigest.status(), byDigest::toString);
    Resp loc = registry.get(byDigest.headerOrNull("Location"), "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, loc.status(), () -> "manifest Location must be pullable: " + loc);
    assertArrayEquals(img.manifest(), loc.body());
  }

  @Test
  void pushingAnotherManifestToATagMovesTheTag() {
    String repo = RegistryTestClient.newRepo("push");
    Image first = registry.pushImage(repo, "moving", 1);
    Image second = registry.pushImage(repo, "moving", 1);
    Resp r = registry.get("/v2/" + repo + "/manifests/moving", "Accept", Oci.OCI_MANIFEST);
    assertEquals(second.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
    assertArrayEquals(second.manifest(), r.body());
    Resp old = registry.get("/v2/" + repo + "/manifests/" + first.digest(), "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, old.status(), () -> "the untagged manifest stays pullable by digest: " + old);
    assertEquals(List.of("moving"), registry.tagsPage("/v2/" + repo + "/tags/list").items());
  }

  @Test
  void manifestsWithoutAMediaTypeFieldAreTypedByContentType() {
    // image-spec 1.0 manifests (and the conformance suite's older fixtures) carry no mediaType field
    String repo = RegistryTestClient.newRepo("push");
    Descriptor config = registry.uploadBlob(repo, Oci.OCI_CONFIG, Oci.config("amd64"));
    Descriptor layer = registry.uploadBlob(repo, Oci.OCI_LAYER, Oci.randomBytes(10));
    String m = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + Oci.OCI_CONFIG + "\",\"digest\":\"" + config.digest()
        + "\",\"size\":" + config.size() + "},\"layers\":[{\"mediaType\":\"" + Oci.OCI_LAYER + "\",\"digest\":\""
        + layer.digest() + "\",\"size\":" + layer.size() + "}]}";
    byte[] manifest = m.getBytes(StandardCharsets.UTF_8);
    Resp put = registry.putManifest(repo, "plain", Oci.OCI_MANIFEST, manifest);
    assertEquals(201, put.status(), put::toString);
    Resp get = registry.get("/v2/" + repo + "/manifests/plain", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, get.status(), get::toString);
    assertEquals(Oci.OCI_MANIFEST, get.headerOrNull("Content-Type"), get::toString);
    assertArrayEquals(manifest, get.body());

    String idx = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"digest\":\""
        + Oci.sha256(manifest) + "\",\"size\":" + manifest.length + "}]}";
    Resp putIdx = registry.putManifest(repo, "plain-index", Oci.OCI_INDEX, idx.getBytes(StandardCharsets.UTF_8));
    assertEquals(201, putIdx.status(), putIdx::toString);
    Resp getIdx = registry.get("/v2/" + repo + "/manifests/plain-index", "Accept", Oci.OCI_INDEX);
    assertEquals(Oci.OCI_INDEX, getIdx.headerOrNull("Content-Type"), getIdx::toString);
  }

  @Test
  void contentTypeParametersAreIgnored() {
    String repo = RegistryTestClient.newRepo("push");
    Image img = registry.pushImage(repo, null, 1);
    Resp put = registry.putManifest(repo, "param", Oci.OCI_MANIFEST + "; charset=utf-8", img.manifest());
    assertEquals(201, put.status(), put::toString);
    Resp get = registry.get("/v2/" + repo + "/manifests/param", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, get.status(), get::toString);
    assertTrue(get.headerOrNull("Content-Type").startsWith(Oci.OCI_MANIFEST), get::toString);
  }

  @Test
  void manifestWithNoLayersIsAccepted() {
    String repo = RegistryTestClient.newRepo("push");
    Descriptor config = registry.uploadBlob(repo, Oci.OCI_CONFIG, Oci.config("arm64"));
    byte[] manifest = Oci.ociManifest().config(config).build();
    Resp r = registry.putManifest(repo, "empty", Oci.OCI_MANIFEST, manifest);
    assertEquals(201, r.status(), r::toString);
  }

  @Test
  void manifestIsStoredByteForByteAndDigestIsOfThoseBytes() {
    String repo = RegistryTestClient.newRepo("push");
    Descriptor config = registry.uploadBlob(repo, Oci.OCI_CONFIG, Oci.config("amd64"));
    Descriptor layer = registry.uploadBlob(repo, Oci.OCI_LAYER, Oci.randomBytes(100));
    // unusual key order and whitespace: a registry that re-serialises would change the digest
    String text = "{\n   \"schemaVersion\" : 2,\n\t\"layers\": [ {\"size\": " + layer.size() + ", \"digest\": \""
        + layer.digest() + "\", \"mediaType\": \"" + Oci.OCI_LAYER + "\"} ],\n  \"config\":{\"mediaType\":\""
        + Oci.OCI_CONFIG + "\",\"size\":" + config.size() + ",\"digest\":\"" + config.digest()
        + "\"}, \"mediaType\": \"" + Oci.OCI_MANIFEST + "\" ,\"annotations\":{\"z\":\"1\",\"a\":\"\\u00e9\"}  }\n\n";
    byte[] manifest = text.getBytes(StandardCharsets.UTF_8);
    String digest = Oci.sha256(manifest);
    Resp put = registry.putManifest(repo, "odd", Oci.OCI_MANIFEST, manifest);
    assertEquals(201, put.status(), put::toString);
    assertEquals(digest, put.headerOrNull("Docker-Content-Digest"), put::toString);
    for (String ref : List.of("odd", digest)) {
      Resp get = registry.get("/v2/" + repo + "/manifests/" + ref, "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, get.status(), get::toString);
      assertArrayEquals(manifest, get.body(), "stored manifest bytes changed");
      assertEquals(digest, get.headerOrNull("Docker-Content-Digest"), get::toString);
    }
  }

  @Test
  void manifestReferencingMissingBlobsIsRefusedAndNotStored() {
    String repo = RegistryTestClient.newRepo("push");
    Descriptor config = registry.uploadBlob(repo, Oci.OCI_CONFIG, Oci.config("amd64"));
    Descriptor missingLayer = Descriptor.of(Oci.OCI_LAYER, Oci.randomBytes(100));
    byte[] noLayer = Oci.ociManifest().config(config).layer(missingLayer).build();
    assertError(registry.putManifest(repo, "broken", Oci.OCI_MANIFEST, noLayer), 400, ErrorCodes.MANIFEST_BLOB_UNKNOWN);

    Descriptor missingConfig = Descriptor.of(Oci.OCI_CONFIG, Oci.config("s390x"));
    byte[] noConfig = Oci.ociManifest().config(missingConfig).build();
    assertError(registry.putManifest(repo, "broken", Oci.OCI_MANIFEST, noConfig), 400, ErrorCodes.MANIFEST_BLOB_UNKNOWN);

    Resp get = registry.get("/v2/" + repo + "/manifests/broken", "Accept", Oci.ACCEPT_ALL);
    assertEquals(404, get.status(), () -> "a refused manifest must not be stored: " + get);
    assertEquals(404, registry.get("/v2/" + repo + "/manifests/" + Oci.sha256(noLayer), "Accept", Oci.ACCEPT_ALL).status());
  }

  @Test
  void indexReferencingMissingManifestIsRefused() {
    String repo = RegistryTestClient.newRepo("push");
    Image present = registry.pushImage(repo, null, 1);
    Descriptor missing = Descriptor.of(Oci.OCI_MANIFEST, Oci.ociManifest()
        .config(Descriptor.of(Oci.OCI_CONFIG, Oci.config("arm"))).build());
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(present.descriptor(), missing));
    assertError(registry.putManifest(repo, "idx", Oci.OCI_INDEX, index), 400, ErrorCodes.MANIFEST_BLOB_UNKNOWN);
    byte[] list = Oci.index(Oci.DOCKER_LIST, List.of(new Descriptor(Oci.DOCKER_MANIFEST, missing.digest(), missing.size(),
        null, null, null)));
    assertError(registry.putManifest(repo, "list", Oci.DOCKER_LIST, list), 400, ErrorCodes.MANIFEST_BLOB_UNKNOWN);
  }

  @Test
  void severalTagsInOnePushWithTagQuery() {
    String repo = RegistryTestClient.newRepo("push");
    Image img = registry.pushImage(repo, null, 1);
    Resp r = registry.put("/v2/" + repo + "/manifests/" + img.digest() + "?tag=alpha&tag=beta&tag=1.0",
        img.manifest(), "Content-Type", Oci.OCI_MANIFEST);
    assertEquals(201, r.status(), r::toString);
    List<String> ociTag = r.headers().allValues("OCI-Tag");
    if (!ociTag.isEmpty()) {
      // optional header of the spec's tag-on-push addition: when sent, it names the tags applied
      List<String> named = new java.util.ArrayList<>();
      ociTag.forEach(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).forEach(named::add));
      assertEquals(java.util.Set.of("alpha", "beta", "1.0"), new java.util.HashSet<>(named), r::toString);
    }
    for (String tag : List.of("alpha", "beta", "1.0")) {
      Resp get = registry.get("/v2/" + repo + "/manifests/" + tag, "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, get.status(), () -> "tag " + tag + " from ?tag=: " + get);
      assertEquals(img.digest(), get.headerOrNull("Docker-Content-Digest"), get::toString);
    }
    List<String> tags = registry.tagsPage("/v2/" + repo + "/tags/list").items();
    assertTrue(tags.containsAll(List.of("alpha", "beta", "1.0")), tags::toString);
  }

  @Test
  void manifestUpTo4MiBIsAcceptedAndLargerIs413() {
    String repo = RegistryTestClient.newRepo("push");
    Descriptor config = registry.uploadBlob(repo, Oci.OCI_CONFIG, Oci.config("amd64"));
    int limit = 4 * 1024 * 1024;
    byte[] atLimit = padded(config, limit);
    assertEquals(limit, atLimit.length);
    Resp ok = registry.putManifest(repo, "big", Oci.OCI_MANIFEST, atLimit);
    assertEquals(201, ok.status(), () -> "a 4 MiB manifest must be accepted: " + ok.status());
    byte[] over = padded(config, limit + 1);
    Resp tooBig = registry.putManifest(repo, "toobig", Oci.OCI_MANIFEST, over);
    assertEquals(413, tooBig.status(), () -> "4 MiB + 1 byte: " + tooBig.status() + " " + tooBig.errorCodes());
    assertEquals(404, registry.get("/v2/" + repo + "/manifests/toobig", "Accept", Oci.OCI_MANIFEST).status());
  }

  /** A valid manifest of exactly {@code size} bytes, padded through an annotation. */
  private static byte[] padded(Descriptor config, int size) {
    byte[] base = Oci.ociManifest().config(config).annotation("pad", "").build();
    String text = new String(base, StandardCharsets.UTF_8);
    String padded = text.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(size - base.length) + "\"");
    return padded.getBytes(StandardCharsets.UTF_8);
  }

  // --- digests ---------------------------------------------------------------------------------------

  @Test
  void digestMismatchIsRefusedAndNothingIsStored() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(500);
    byte[] other = Oci.randomBytes(500);
    String wrong = Oci.sha256(other);
    assertError(registry.post(withQuery(uploads(repo), "digest", wrong), data, "Content-Type", OCTET), 400,
        ErrorCodes.DIGEST_INVALID);
    String loc = startUpload(repo);
    assertError(registry.put(withQuery(loc, "digest", wrong), data, "Content-Type", OCTET), 400, ErrorCodes.DIGEST_INVALID);
    for (String d : List.of(wrong, Oci.sha256(data))) {
      Resp r = registry.head("/v2/" + repo + "/blobs/" + d);
      assertEquals(404, r.status(), () -> "nothing may be stored after a digest mismatch: " + r);
    }
  }

  @Test
  void manifestPutByAWrongDigestIsRefused() {
    String repo = RegistryTestClient.newRepo("push");
    Image img = registry.pushImage(repo, null, 1);
    byte[] other = Oci.ociManifest().config(Descriptor.of(Oci.OCI_CONFIG, img.config())).annotation("x", "y").build();
    assertError(registry.putManifest(repo, img.digest(), Oci.OCI_MANIFEST, other), 400, ErrorCodes.DIGEST_INVALID);
    Resp r = registry.get("/v2/" + repo + "/manifests/" + Oci.sha256(other), "Accept", Oci.OCI_MANIFEST);
    assertEquals(404, r.status(), r::toString);
  }

  @Test
  void sha512BlobsAndManifests() {
    String repo = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(1234);
    String digest = Oci.sha512(data);
    Resp r = registry.post(withQuery(uploads(repo), "digest", digest), data, "Content-Type", OCTET);
    assertEquals(201, r.status(), r::toString);
    Resp get = registry.get("/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, get.status(), get::toString);
    assertArrayEquals(data, get.body());
    Resp head = registry.head("/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, head.status(), head::toString);
    assertEquals("1234", head.headerOrNull("Content-Length"), head::toString);

    Image img = registry.pushImage(repo, null, 1);
    String manifestDigest = Oci.sha512(img.manifest());
    Resp put = registry.putManifest(repo, manifestDigest, Oci.OCI_MANIFEST, img.manifest());
    assertEquals(201, put.status(), put::toString);
    Resp m = registry.get("/v2/" + repo + "/manifests/" + manifestDigest, "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, m.status(), m::toString);
    assertArrayEquals(img.manifest(), m.body());

    String wrong512 = Oci.sha512(Oci.randomBytes(5));
    assertError(registry.post(withQuery(uploads(repo), "digest", wrong512), data, "Content-Type", OCTET), 400,
        ErrorCodes.DIGEST_INVALID);
  }

  @Test
  void blobPushedToTwoRepositoriesIsReadableFromBoth() {
    String a = RegistryTestClient.newRepo("push");
    String b = RegistryTestClient.newRepo("push");
    byte[] data = Oci.randomBytes(9000);
    String digest = registry.uploadBlob(a, data);
    assertEquals(digest, registry.uploadBlob(b, data));
    registry.assertBlob(a, digest, data);
    registry.assertBlob(b, digest, data);
  }
}
