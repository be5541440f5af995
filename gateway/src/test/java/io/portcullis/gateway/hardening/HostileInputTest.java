package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.StorageSettings;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import io.portcullis.gateway.hardening.RawHttp.Answer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input over real HTTP against one registry that holds some content (issue #7): path traversal
 * in names, references, digests and upload ids; oversized headers, URLs, manifests and JSON nesting;
 * invalid UTF-8; huge page sizes; uploads and connections that stall; bodies sent with
 * {@code Content-Encoding: gzip}. Every answer must be a clean 4xx with the spec's error code (or Jetty's
 * own 400/414/431 before routing), never a 500, nothing outside the storage directory may be read or
 * written (a canary file sits beside it), and the last test checks that the registry's content is exactly
 * what it was before and that it still pushes and pulls.
 *
 * <p>Hostile content that the registry legitimately stores (gzip bombs, XML SBOMs with entities,
 * manifests that point at each other) is covered by {@link HostileContentTest} on a registry of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  /** Short limits so that expiry and idle connections can be observed within seconds. */
  static final Duration UPLOAD_IDLE = Duration.ofSeconds(2);
  static final Duration CONNECTION_IDLE = Duration.ofSeconds(2);

  @TempDir
  static Path dir;
  static Path storage;
  static Path canary;
  static String canaryText;
  static RegistryTestClient registry;
  static RawHttp raw;
  static Image seeded;
  static RegistrySnapshot before;

  @BeforeAll
  static void start() throws Exception {
    storage = dir.resolve("storage");
    canary = dir.resolve("canary.txt");
    canaryText = "CANARY-" + UUID.randomUUID();
    Files.writeString(canary, canaryText);
    Files.writeString(dir.resolve("metadata.db"), canaryText); // what "../metadata.db" would reach from storage/x
    registry = RegistryTestClient.start(storage, cfg -> cfg
        .withStorageSettings(StorageSettings.defaults().withUploadIdleTimeout(UPLOAD_IDLE))
        .withIdleTimeout(CONNECTION_IDLE));
    raw = new RawHttp(registry.baseUri().getHost(), registry.port());
    seeded = RegistrySnapshot.seed(registry);
    before = RegistrySnapshot.take(registry, storage);
  }

  @AfterAll
  static void stop() {
    if (registry != null) registry.close();
  }

  // ---------------------------------------------------------------------------------------------
  // What every hostile answer must be

  /** Codes a refused request may carry, per part of the path that was hostile. */
  static final Set<String> NAME = Set.of("NAME_INVALID");
  static final Set<String> REFERENCE = Set.of("MANIFEST_INVALID", "MANIFEST_UNKNOWN", "DIGEST_INVALID");
  static final Set<String> DIGEST = Set.of("DIGEST_INVALID");
  static final Set<String> UPLOAD = Set.of("BLOB_UPLOAD_UNKNOWN");
  /** Only Jetty may answer (it refuses the request before routing, with a bare 400). */
  static final Set<String> JETTY = Set.of();
  /** No route matched (Jetty resolved the dots, and what is left is not an endpoint). */
  static final Set<String> NO_ROUTE = Set.of("UNSUPPORTED");

  /**
   * Asserts a clean refusal: a 4xx (never 5xx), and either the registry's spec error body with one of
   * {@code codes}, or Jetty's own bare 400 for a request it will not route at all. The canary is never
   * in the answer.
   */
  static void assertRefused(Answer a, int status, Set<String> codes) {
    assertEquals(status, a.status(), () -> "status: " + a);
    assertFalse(a.text().contains(canaryText), () -> "the canary leaked: " + a);
    boolean fromRegistry = a.header("Docker-Distribution-API-Version").isPresent();
    if (fromRegistry && a.request().startsWith("HEAD ")) {
      assertEquals(0, a.body().length, () -> "a HEAD answer has no body: " + a);
    } else if (fromRegistry) {
      assertFalse(a.errorCodes().isEmpty(), () -> "no OCI error body: " + a);
      assertTrue(codes.containsAll(a.errorCodes()), () -> "expected one of " + codes + ": " + a);
    } else {
      assertEquals(400, a.status(), () -> "only Jetty's 400 may come without a registry error body: " + a);
    }
  }

  static void assertCanaryUntouched() throws Exception {
    assertEquals(canaryText, Files.readString(canary), "the canary beside the storage directory changed");
    assertEquals(canaryText, Files.readString(dir.resolve("metadata.db")), "the decoy beside the storage directory changed");
    try (var files = Files.list(dir)) {
      assertEquals(Set.of("storage", "canary.txt", "metadata.db"),
          Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "nothing may be created beside the storage directory");
    }
  }

  /** A manifest that is not in the registry yet, over seeded blobs: storing it would change the content. */
  static byte[] freshManifest() {
    return Oci.ociManifest()
        .config(Oci.Descriptor.of(Oci.OCI_CONFIG, seeded.config()))
        .layer(Oci.Descriptor.of(Oci.OCI_LAYER, seeded.layers().get(0)))
        .annotation("nonce", UUID.randomUUID().toString())
        .build();
  }

  static String contentType(String mediaType) { return "Content-Type: " + mediaType; }

  // ---------------------------------------------------------------------------------------------
  // Path traversal

  @Test
  @Order(1)
  void traversalInRepositoryNamesIsRefused() throws Exception {
    byte[] m = freshManifest();
    String ct = contentType(Oci.OCI_MANIFEST);
    assertRefused(raw.get("/v2/../../../etc/passwd/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/%2e%2e/%2e%2e/etc/passwd/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/%2E%2E/canary.txt/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed/..%2f..%2f..%2fetc/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2//etc/passwd/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/%2fetc%2fpasswd/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed%00app/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed/app%00/manifests/v1"), 400, NAME);
    assertRefused(raw.get("/v2/seed/..%5c..%5ccanary.txt/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed/../../canary.txt/manifests/v1"), 400, NAME);
    assertRefused(raw.send("PUT", "/v2/../evil/manifests/v1", m, ct), 400, NAME);
    assertRefused(raw.send("PUT", "/v2/..%2fevil/manifests/v1", m, ct), 400, NAME);
    assertRefused(raw.send("POST", "/v2/%2e%2e%2fevil/blobs/uploads/", null), 400, NAME);
    assertRefused(raw.send("POST", "/v2/seed/evil/blobs/uploads/?mount=" + Oci.sha256(seeded.config()) + "&from=../../etc", null), 400, NAME);
    assertRefused(raw.send("POST", "/v2/seed/docker/blobs/uploads/?mount=" + Oci.sha256(seeded.config()) + "&from=seed/app/..", null), 400, NAME);
    assertRefused(raw.send("POST", "/v2/seed/docker/blobs/uploads/?mount=" + Oci.sha256(seeded.config()) + "&from=/seed/app", null), 400, NAME);
    assertRefused(raw.get("/v2/_portcullis/ext/sbom/../../etc/" + seeded.digest()), 400, NAME);
    assertRefused(raw.get("/v2/_portcullis/ext/verification/%2e%2e/" + seeded.digest()), 400, NAME);
    assertCanaryUntouched();
  }

  @Test
  @Order(2)
  void traversalInTagsAndReferencesIsRefused() throws Exception {
    byte[] m = freshManifest();
    String ct = contentType(Oci.OCI_MANIFEST);
    assertRefused(raw.get("/v2/seed/app/manifests/.."), 400, REFERENCE);
    assertRefused(raw.get("/v2/seed/app/manifests/%2e%2e"), 400, REFERENCE);
    assertRefused(raw.get("/v2/seed/app/manifests/..%2f..%2fmetadata.db"), 400, REFERENCE);
    assertRefused(raw.get("/v2/seed/app/manifests/%00"), 400, REFERENCE);
    assertRefused(raw.get("/v2/seed/app/manifests/v1%00.sig"), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/%2e%2e%2fevil", m, ct), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/%2fetc%2fpasswd", m, ct), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/..", m, ct), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/evil?tag=../../evil", m, ct), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/evil?tag=%2fetc%2fpasswd", m, ct), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/evil?tag=ok%00", m, ct), 400, REFERENCE);
    assertRefused(raw.send("DELETE", "/v2/seed/app/manifests/..%2fv1", null), 400, REFERENCE);
    assertRefused(raw.send("DELETE", "/v2/seed/app/manifests/.v1", null), 400, REFERENCE);
    assertCanaryUntouched();
  }

  @Test
  @Order(3)
  void traversalInDigestsIsRefused() throws Exception {
    byte[] m = freshManifest();
    String ct = contentType(Oci.OCI_MANIFEST);
    // Jetty resolves the plain ".." segments ("sha256:.." is removed by the one after it): no endpoint is left
    assertRefused(raw.get("/v2/seed/app/blobs/sha256:../../canary.txt"), 404, NO_ROUTE);
    assertRefused(raw.get("/v2/seed/app/blobs/sha256:..%2f..%2f..%2fcanary.txt"), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/blobs/sha256:%2e%2e"), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/blobs/sha256:.."), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/blobs/sha512:..%00"), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/blobs//etc/passwd"), 404, NO_ROUTE);
    assertRefused(raw.get("/v2/seed/app/blobs/sha256:/etc/passwd"), 404, NO_ROUTE);
    assertRefused(raw.send("HEAD", "/v2/seed/app/blobs/sha256:..%2f..%2fmetadata.db", null), 400, DIGEST);
    assertRefused(raw.send("DELETE", "/v2/seed/app/blobs/sha256:..%2f..%2fcanary.txt", null), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/manifests/sha256:../../../canary.txt"), 404, NO_ROUTE);
    assertRefused(raw.get("/v2/seed/app/manifests/sha256:..%2f..%2f..%2fcanary.txt"), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/manifests/sha256:.."), 400, DIGEST);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/sha256:..%2f..%2fevil", m, ct), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/referrers/sha256:..%2f..%2fcanary.txt"), 400, DIGEST);
    assertRefused(raw.get("/v2/seed/app/referrers/sha256:" + "0".repeat(62) + ".."), 400, DIGEST);
    // the extension route's <name> takes the path up to the last segment: the dots land in the name
    assertRefused(raw.get("/v2/_portcullis/ext/sbom/seed/app/sha256:../../canary.txt"), 400, NAME);
    assertRefused(raw.get("/v2/_portcullis/ext/sbom/seed/app/sha256:..%2f..%2fcanary.txt"), 400, DIGEST);
    assertRefused(raw.send("POST", "/v2/seed/app/blobs/uploads/?digest=sha256:../../canary.txt", "x".getBytes(StandardCharsets.UTF_8)), 400, DIGEST);
    assertRefused(raw.send("POST", "/v2/seed/app/blobs/uploads/?digest=sha256:..%2f..%2fcanary.txt", new byte[0]), 400, DIGEST);
    assertCanaryUntouched();
  }

  @Test
  @Order(4)
  void traversalInUploadIdsIsRefused() throws Exception {
    String digest = Oci.sha256(new byte[0]);
    assertRefused(raw.send("PATCH", "/v2/seed/app/blobs/uploads/..%2f..%2fmetadata.db", "x".getBytes(StandardCharsets.UTF_8)), 404, UPLOAD);
    assertRefused(raw.send("PUT", "/v2/seed/app/blobs/uploads/..%2f..%2fmetadata.db?digest=" + digest, new byte[0]), 404, UPLOAD);
    assertRefused(raw.get("/v2/seed/app/blobs/uploads/..%2f..%2fcanary.txt"), 404, UPLOAD);
    assertRefused(raw.send("DELETE", "/v2/seed/app/blobs/uploads/..%2f..%2fmetadata.db", null), 404, UPLOAD);
    assertRefused(raw.send("DELETE", "/v2/seed/app/blobs/uploads/%2e%2e", null), 404, UPLOAD);
    assertRefused(raw.send("PATCH", "/v2/seed/app/blobs/uploads/%00", "x".getBytes(StandardCharsets.UTF_8)), 400, JETTY);
    assertRefused(raw.send("PATCH", "/v2/seed/app/blobs/uploads/..%5c..%5cmetadata.db", "x".getBytes(StandardCharsets.UTF_8)), 404, UPLOAD);
    assertRefused(raw.send("PATCH", "/v2/seed/app/blobs/uploads/metadata.db", "x".getBytes(StandardCharsets.UTF_8)), 404, UPLOAD);
    // Jetty resolves dot segments that have a segment after them before routing: what is left is no endpoint.
    assertRefused(raw.get("/v2/seed/app/blobs/uploads/../../metadata.db"), 404, NO_ROUTE);
    // a last ".." reaches the registry as the upload id ".."
    assertRefused(raw.send("DELETE", "/v2/seed/app/blobs/uploads/..", null), 404, UPLOAD);
    assertCanaryUntouched();
  }

  @Test
  @Order(5)
  void rawControlAndNonUtf8BytesOnTheRequestLineAreRefused() throws Exception {
    // raw NUL and 0xFF bytes (not percent-encoded) on the request line
    assertRefused(raw.get("/v2/seed/app/manifests/v1\u0000"), 400, JETTY);
    assertRefused(raw.get("/v2/seed/app\u00ff/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed/app/manifests/v\u00ff1"), 400, REFERENCE);
    // percent-encoded bytes that are not UTF-8, in a name, a tag and query parameters
    assertRefused(raw.get("/v2/seed/app%ff/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed/app%c3%28/tags/list"), 400, NAME);
    assertRefused(raw.get("/v2/seed/app/manifests/v%ff1"), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/v%c3%281", freshManifest(), contentType(Oci.OCI_MANIFEST)), 400, REFERENCE);
    assertRefused(raw.send("PUT", "/v2/seed/app/manifests/evil?tag=%ff%fe", freshManifest(), contentType(Oci.OCI_MANIFEST)), 400, REFERENCE);
    Answer tags = raw.get("/v2/seed/app/tags/list?last=%ff%fe");
    assertTrue(tags.status() == 200 || tags.status() == 400, tags::toString);
    Answer catalog = raw.get("/v2/_catalog?n=%ff");
    assertRefused(catalog, 400, Set.of("UNSUPPORTED"));
    assertCanaryUntouched();
  }

  // ---------------------------------------------------------------------------------------------
  // Oversized and deeply nested input

  @Test
  @Order(10)
  void anOversizedHeaderIs431() {
    Answer a = raw.get("/v2/", "X-Padding: " + "a".repeat(64 * 1024));
    assertEquals(431, a.status(), a::toString);
    Answer many = raw.get("/v2/", manyHeaders(2000));
    assertEquals(431, many.status(), many::toString);
    assertEquals(200, raw.get("/v2/").status(), "the server keeps serving");
  }

  private static String[] manyHeaders(int count) {
    String[] h = new String[count];
    for (int i = 0; i < count; i++) h[i] = "X-H" + i + ": v";
    return h;
  }

  @Test
  @Order(11)
  void anOversizedUrlIs414() {
    Answer longName = raw.get("/v2/" + "a".repeat(64 * 1024) + "/tags/list");
    assertEquals(414, longName.status(), longName::toString);
    Answer longDigest = raw.get("/v2/seed/app/blobs/sha256:" + "0".repeat(20_000));
    assertEquals(414, longDigest.status(), longDigest::toString);
    // Under the limit, a name past the spec's 255 characters is the registry's NAME_INVALID.
    assertRefused(raw.get("/v2/" + "a/".repeat(2000) + "a/tags/list"), 400, NAME);
    assertEquals(200, raw.get("/v2/").status(), "the server keeps serving");
  }

  @Test
  @Order(12)
  void aManifestOverFourMibIs413ManifestInvalid() {
    byte[] big = new byte[4 * 1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    byte[] head = freshManifest();
    System.arraycopy(head, 0, big, 0, head.length);
    Resp declared = registry.putManifest("seed/app", "big", Oci.OCI_MANIFEST, big);
    RegistryTestClient.assertError(declared, 413, "MANIFEST_INVALID");
    // the same without a Content-Length (chunked): cut off while reading
    Answer chunked = sendChunked("PUT", "/v2/seed/app/manifests/big", big, contentType(Oci.OCI_MANIFEST));
    assertRefused(chunked, 413, Set.of("MANIFEST_INVALID"));
  }

  private static Answer sendChunked(String method, String target, byte[] body, String... headers) {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + registry.hostPort()
        + "\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n");
    for (String h : headers) head.append(h).append("\r\n");
    req.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    for (int off = 0; off < body.length; off += 65536) {
      int n = Math.min(65536, body.length - off);
      req.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      req.write(body, off, n);
      req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    req.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return raw.exchange(method + " " + target + " (chunked)", req.toByteArray());
  }

  @Test
  @Order(13)
  void jsonNestedTenThousandDeepIsRefusedWithoutAStackOverflow() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String inManifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"annotations\":" + deep + "}";
    Resp r = registry.putManifest("seed/app", "deep", Oci.OCI_MANIFEST, inManifest.getBytes(StandardCharsets.UTF_8));
    RegistryTestClient.assertError(r, 400, "MANIFEST_INVALID");
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    RegistryTestClient.assertError(registry.putManifest("seed/app", "deep", Oci.OCI_MANIFEST, objects.getBytes(StandardCharsets.UTF_8)),
        400, "MANIFEST_INVALID");
    // the extension endpoints that read JSON bodies
    Resp evaluate = registry.post("/v2/_portcullis/ext/policy/evaluate", ("{\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertEquals(400, evaluate.status(), evaluate::toString);
    Resp data = registry.post("/v1/data/portcullis/pull", ("{\"input\":" + deep + "}").getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertEquals(400, data.status(), data::toString);
    assertEquals(200, registry.get("/v2/").status(), "the server keeps serving");
  }

  @Test
  @Order(14)
  void invalidUtf8InAManifestIsManifestInvalid() {
    byte[] valid = freshManifest();
    String text = new String(valid, StandardCharsets.UTF_8);
    int at = text.indexOf("\"nonce\":\"") + "\"nonce\":\"".length();
    for (byte[] bad : List.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        new byte[] {(byte) 0xc0, (byte) 0xaf})) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(valid, 0, at);
      body.writeBytes(bad);
      body.write(valid, at, valid.length - at);
      Resp r = registry.putManifest("seed/app", "utf8", Oci.OCI_MANIFEST, body.toByteArray());
      RegistryTestClient.assertError(r, 400, "MANIFEST_INVALID");
    }
  }

  @Test
  @Order(15)
  void numbersTooLargeForALongInRangeHeadersAreRefusedCleanly() {
    String huge = "99999999999999999999999";
    Resp post = registry.post("/v2/seed/app/blobs/uploads/", null);
    String location = post.headerOrNull("Location");
    Resp patch = registry.patch(location, new byte[] {1, 2, 3}, "Content-Range", "0-" + huge);
    assertEquals(416, patch.status(), patch::toString);
    RegistryTestClient.assertErrorBody(patch);
    Resp patch2 = registry.patch(location, new byte[] {1, 2, 3}, "Content-Range", huge + "-" + huge);
    assertEquals(416, patch2.status(), patch2::toString);
    // on the closing PUT a Content-Range that is not one is ignored, as before: the digest decides
    Resp put = registry.put(RegistryTestClient.withQuery(location, "digest", Oci.sha256(new byte[] {2})), new byte[] {1},
        "Content-Range", huge + "-" + huge);
    RegistryTestClient.assertError(put, 400, "DIGEST_INVALID");
    String layer = Oci.sha256(seeded.layers().get(0));
    for (String range : List.of("bytes=0-" + huge, "bytes=" + huge + "-", "bytes=-" + huge, "bytes=1-0", "bytes=--1", "bytes=" + "1".repeat(4000) + "-")) {
      Resp r = registry.get("/v2/seed/app/blobs/" + layer, "Range", range);
      assertTrue(r.status() == 200 || r.status() == 206 || r.status() == 416, r::toString);
    }
    Resp suffix = registry.get("/v2/seed/app/blobs/" + layer, "Range", "bytes=-" + huge);
    assertEquals(200, suffix.status(), "a range whose numbers do not fit is ignored (RFC 9110): the whole blob");
    assertTrue(java.util.Arrays.equals(seeded.layers().get(0), suffix.body()));
  }

  // ---------------------------------------------------------------------------------------------
  // Pagination

  @Test
  @Order(20)
  void hugeOrNegativePageSizesAreClampedOrRefused() {
    for (String n : List.of("999999999999", "99999999999999999999999999", "2147483648")) {
      // clamped to the 10,000-entry page
      var tags = registry.tagsPage("/v2/seed/app/tags/list?n=" + n);
      assertEquals(before.tags().get("seed/app"), tags.items(), "the whole (short) list");
      var repos = registry.catalogPage("/v2/_catalog?n=" + n);
      assertEquals(before.catalog(), repos.items());
      Resp referrers = registry.get("/v2/seed/app/referrers/" + seeded.digest() + "?n=" + n);
      assertEquals(200, referrers.status(), referrers::toString);
    }
    for (String n : List.of("-1", "abc", "1e9", "0x10", " 5", "-99999999999999999999")) {
      String q = RegistryTestClient.encode(n);
      RegistryTestClient.assertError(registry.get("/v2/seed/app/tags/list?n=" + q), 400, "UNSUPPORTED");
      RegistryTestClient.assertError(registry.get("/v2/_catalog?n=" + q), 400, "UNSUPPORTED");
      assertEquals(200, registry.get("/v2/seed/app/referrers/" + seeded.digest() + "?n=" + q).status(), "referrers take no n");
    }
    assertEquals(List.of(), registry.tagsPage("/v2/seed/app/tags/list?n=0").items());
    Resp decisions = registry.get("/v2/_portcullis/ext/decisions?n=999999999999999999999&last=-5");
    assertEquals(200, decisions.status(), decisions::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // Stalled uploads and stalled connections

  @Test
  @Order(30)
  void anUploadThatIsNeverFinishedExpiresAndItsSpaceIsReclaimed() throws Exception {
    Resp post = registry.post("/v2/seed/app/blobs/uploads/", null);
    assertEquals(202, post.status(), post::toString);
    String location = post.headerOrNull("Location");
    String id = post.headerOrNull("Docker-Upload-UUID");
    Resp patch = registry.patch(location, Oci.randomBytes(100_000), "Content-Type", "application/octet-stream");
    assertEquals(202, patch.status(), patch::toString);
    Path file = storage.resolve("uploads").resolve(id);
    assertTrue(Files.exists(file), "the upload is on disk while in progress");
    long deadline = System.nanoTime() + UPLOAD_IDLE.multipliedBy(4).toNanos();
    while (Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(100);
    assertFalse(Files.exists(file), "the idle upload's file is removed");
    RegistryTestClient.assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    RegistryTestClient.assertError(registry.patch(location, new byte[] {1}), 404, "BLOB_UPLOAD_UNKNOWN");
    RegistryTestClient.assertError(registry.put(RegistryTestClient.withQuery(location, "digest", Oci.sha256(new byte[0])), null),
        404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  @Order(31)
  void aClientThatStallsMidBodyDoesNotHoldUpOthersAndIsCutOff() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      // One stalls in a manifest PUT, one in a blob PATCH, one before finishing its headers.
      Resp post = registry.post("/v2/seed/app/blobs/uploads/", null);
      String uploadId = post.headerOrNull("Docker-Upload-UUID");
      stalled.add(stall("PUT /v2/seed/app/manifests/stalled HTTP/1.1\r\n" + contentType(Oci.OCI_MANIFEST) + "\r\nContent-Length: 1048576\r\n\r\n{\"schema"));
      stalled.add(stall("PATCH " + post.headerOrNull("Location") + " HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n" + "x".repeat(1000)));
      stalled.add(stall("GET /v2/ HTTP/1.1\r\nX-Slow: "));
      long start = System.nanoTime();
      // others are served meanwhile, promptly
      for (int i = 0; i < 5; i++) {
        assertEquals(200, registry.get("/v2/").status());
        assertEquals(200, registry.get("/v2/seed/app/manifests/v1", "Accept", Oci.ACCEPT_ALL).status());
        registry.assertBlob("seed/app", Oci.sha256(seeded.layers().get(0)), seeded.layers().get(0));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "others were served while the stalled clients wait, but slowly: " + took);
      // each stalled connection is closed once it has been idle for the configured time
      for (Socket s : stalled) {
        s.setSoTimeout((int) CONNECTION_IDLE.multipliedBy(5).toMillis());
        InputStream in = s.getInputStream();
        byte[] answer;
        try {
          answer = RawHttp.readAll(in);
        } catch (AssertionError e) {
          throw new AssertionError("a stalled connection stayed open past " + CONNECTION_IDLE.multipliedBy(5), e);
        }
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertFalse(text.startsWith("HTTP/1.1 5"), () -> "a stalled client is not a server error: " + text);
      }
      // The PATCH's upload then expires like any idle one.
      Path file = storage.resolve("uploads").resolve(uploadId);
      long deadline = System.nanoTime() + UPLOAD_IDLE.multipliedBy(4).toNanos();
      while (Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(100);
      assertFalse(Files.exists(file), "the stalled upload's file is removed");
      RegistryTestClient.assertError(registry.get(post.headerOrNull("Location")), 404, "BLOB_UPLOAD_UNKNOWN");
    } finally {
      for (Socket s : stalled) s.close();
    }
  }

  @Test
  @Order(32)
  void aBodyThatEndsBeforeItsContentLengthIs400SizeInvalid() throws Exception {
    Resp post = registry.post("/v2/seed/app/blobs/uploads/", null);
    for (String request : List.of(
        "PUT /v2/seed/app/manifests/cut HTTP/1.1\r\n" + contentType(Oci.OCI_MANIFEST) + "\r\nContent-Length: 5000\r\n\r\n{\"schemaVersion\":2",
        "PATCH " + post.headerOrNull("Location") + " HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(100))) {
      try (Socket s = stall(request)) {
        s.shutdownOutput(); // the body ends here, 5000 bytes were promised
        s.setSoTimeout(10_000);
        Answer a = RawHttp.parse(request, RawHttp.readAll(s.getInputStream()));
        assertRefused(a, 400, Set.of("SIZE_INVALID"));
      }
    }
    assertEquals(204, registry.delete(post.headerOrNull("Location")).status());
  }

  private static Socket stall(String partialRequest) throws Exception {
    Socket s = new Socket(registry.baseUri().getHost(), registry.port());
    OutputStream out = s.getOutputStream();
    out.write(partialRequest.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nHost: " + registry.hostPort() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Compressed request bodies

  @Test
  @Order(40)
  void aGzipEncodedManifestIsNotInflated() throws Exception {
    byte[] gz = gzip(freshManifest());
    Resp r = registry.put("/v2/seed/app/manifests/gz", gz, "Content-Type", Oci.OCI_MANIFEST, "Content-Encoding", "gzip");
    RegistryTestClient.assertError(r, 400, "MANIFEST_INVALID");
  }

  @Test
  @Order(41)
  void aGzipEncodedBlobUnderTheDigestOfItsInflatedBytesIsRefused() throws Exception {
    byte[] plain = Oci.randomBytes(10_000);
    byte[] gz = gzip(plain);
    // monolithic
    Resp mono = registry.post("/v2/seed/app/blobs/uploads/?digest=" + Oci.sha256(plain), gz, "Content-Encoding", "gzip",
        "Content-Type", "application/octet-stream");
    RegistryTestClient.assertError(mono, 400, "DIGEST_INVALID");
    // chunked: PATCH then PUT
    Resp post = registry.post("/v2/seed/app/blobs/uploads/", null);
    Resp patch = registry.patch(post.headerOrNull("Location"), gz, "Content-Encoding", "gzip", "Content-Type", "application/octet-stream");
    assertEquals(202, patch.status(), patch::toString);
    assertEquals("0-" + (gz.length - 1), patch.headerOrNull("Range"), "the bytes are kept as sent, not inflated");
    Resp put = registry.put(RegistryTestClient.withQuery(patch.headerOrNull("Location"), "digest", Oci.sha256(plain)), null);
    RegistryTestClient.assertError(put, 400, "DIGEST_INVALID");
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Afterwards: nothing changed, everything works

  @Test
  @Order(100)
  void afterwardsTheContentIsExactlyWhatItWasAndTheRegistryStillWorks() throws Exception {
    // let the uploads the hostile requests started expire (they are not content, but they hold space)
    long deadline = System.nanoTime() + UPLOAD_IDLE.multipliedBy(4).toNanos();
    while (RegistrySnapshot.uploadsOnDisk(storage) > 0 && System.nanoTime() < deadline) Thread.sleep(100);
    assertEquals(0, RegistrySnapshot.uploadsOnDisk(storage), "every upload a hostile request left behind has expired");
    RegistrySnapshot after = RegistrySnapshot.take(registry, storage);
    assertEquals(before, after);
    assertCanaryUntouched();
    Image img = registry.pushImage("smoke/after", "v1", 2);
    Resp pulled = registry.get("/v2/smoke/after/manifests/v1", "Accept", Oci.ACCEPT_ALL);
    assertEquals(200, pulled.status(), pulled::toString);
    assertTrue(java.util.Arrays.equals(img.manifest(), pulled.body()));
    registry.assertBlob("smoke/after", Oci.sha256(img.layers().get(1)), img.layers().get(1));
  }
}
