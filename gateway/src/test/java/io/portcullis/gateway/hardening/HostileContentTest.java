package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import io.portcullis.storage.GarbageCollector;
import io.portcullis.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile content that a registry stores as it is (it is valid by the distribution spec) and that must
 * not hurt the parts that read it: manifests that point at each other through subjects, index children
 * and cosign tags (referrers, the gate's evidence gathering, delete and garbage collection must stay
 * bounded); XML SBOMs with external entities and entity expansion (never resolved); gzip bombs and
 * gzipped SBOMs (never inflated); bodies sent with {@code Content-Encoding: gzip} (stored as sent, as
 * Distribution does). The registry runs with the admission gate on (its default bundle gates
 * {@code prod/**}, so pulls there gather and parse the attached evidence).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileContentTest {
  /** Anything one request may take here (generous for a loaded machine; a loop would never end). */
  static final Duration BOUND = Duration.ofSeconds(10);
  static final String CYCLONEDX_XML = "application/vnd.cyclonedx+xml";
  static final String CYCLONEDX_JSON = "application/vnd.cyclonedx+json";

  @TempDir
  static Path dir;
  static Path storage;
  static Path canary;
  static String canaryText;
  static RegistryTestClient registry;

  @BeforeAll
  static void start() throws Exception {
    storage = dir.resolve("storage");
    canary = dir.resolve("canary.txt");
    canaryText = "CANARY-" + UUID.randomUUID();
    Files.writeString(canary, canaryText);
    registry = RegistryTestClient.start(storage, cfg -> cfg); // the defaults: gate on, prod/** protected
  }

  @AfterAll
  static void stop() {
    if (registry != null) registry.close();
  }

  /** Runs one request and asserts it answered within {@link #BOUND}. */
  static Resp bounded(Supplier<Resp> request) {
    long start = System.nanoTime();
    Resp r = request.get();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(BOUND) < 0, () -> "took " + took + ": " + r);
    assertTrue(r.status() < 500, r::toString);
    assertFalse(r.text().contains(canaryText), () -> "the canary leaked: " + r);
    return r;
  }

  static Resp pull(String repo, String reference) {
    return bounded(() -> registry.get("/v2/" + repo + "/manifests/" + reference, "Accept", Oci.ACCEPT_ALL));
  }

  /** An artifact manifest of one layer, about {@code subject} (or about nothing). */
  static byte[] artifact(String repo, String artifactType, String layerType, byte[] layer, Descriptor subject) {
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    Oci.ManifestBuilder m = Oci.ociManifest()
        .artifactType(artifactType)
        .config(new Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null))
        .layer(registry.uploadBlob(repo, layerType, layer));
    if (subject != null) m.subject(subject);
    return m.build();
  }

  static String pushByDigest(String repo, String mediaType, byte[] manifest) {
    registry.pushManifest(repo, Oci.sha256(manifest), mediaType, manifest);
    return Oci.sha256(manifest);
  }

  static String sigTag(String digest) { return digest.replace(':', '-') + ".sig"; }

  // ---------------------------------------------------------------------------------------------
  // Manifests that point at each other

  @Test
  @Order(1)
  void manifestsThatReferToEachOtherInALoopGetBoundedAnswers() {
    String repo = "prod/loop";
    Image a = registry.pushImage(repo, "v1", 1);
    // An index may not name a child that is not there yet.
    Descriptor missing = new Descriptor(Oci.OCI_MANIFEST, Oci.sha256(Oci.randomBytes(10)), 100, null, null, null);
    RegistryTestClient.assertError(registry.putManifest(repo, "broken", Oci.OCI_INDEX, Oci.index(Oci.OCI_INDEX, List.of(a.descriptor(), missing))),
        400, "MANIFEST_BLOB_UNKNOWN");
    // An index over A that is also a referrer of A (its own child).
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(a.descriptor()), "application/vnd.example.loop", a.descriptor(), null);
    String indexDigest = pushByDigest(repo, Oci.OCI_INDEX, index);
    Descriptor indexDesc = Descriptor.of(Oci.OCI_INDEX, index);
    // A "child" whose subject is the index, and an index over that child whose subject is A again.
    byte[] child = artifact(repo, "application/vnd.example.child", "application/octet-stream", Oci.randomBytes(64), indexDesc);
    String childDigest = pushByDigest(repo, Oci.OCI_MANIFEST, child);
    byte[] outer = Oci.index(Oci.OCI_INDEX, List.of(Descriptor.of(Oci.OCI_MANIFEST, child), indexDesc), "application/vnd.example.loop",
        a.descriptor(), null);
    String outerDigest = pushByDigest(repo, Oci.OCI_INDEX, outer);
    // cosign-style tags that point round in a circle, and one that points at its own subject
    registry.pushManifest(repo, sigTag(a.digest()), Oci.OCI_INDEX, index);
    registry.pushManifest(repo, sigTag(indexDigest), Oci.OCI_MANIFEST, a.manifest());
    registry.pushManifest(repo, a.digest().replace(':', '-') + ".sbom", Oci.OCI_MANIFEST, a.manifest());
    registry.pushManifest(repo, a.digest().replace(':', '-') + ".att", Oci.OCI_INDEX, outer);
    registry.pushManifest(repo, sigTag(childDigest), Oci.OCI_INDEX, outer);

    // the child is an artifact, not runnable: the default bundle serves it; the rest are image and indexes
    Map<String, Integer> pullStatus = Map.of(a.digest(), 403, indexDigest, 403, childDigest, 200, outerDigest, 403);
    for (String digest : List.of(a.digest(), indexDigest, childDigest, outerDigest)) {
      Resp referrers = bounded(() -> registry.get("/v2/" + repo + "/referrers/" + digest));
      assertEquals(200, referrers.status(), referrers::toString);
      assertTrue(referrers.json().path("manifests").size() <= 2, referrers::toString);
      // the gate gathers and verifies the evidence: denied (no trust configured), but answered
      assertEquals(pullStatus.get(digest), pull(repo, digest).status());
      assertEquals(200, bounded(() -> registry.get("/v2/_portcullis/ext/sbom/" + repo + "/" + digest)).status());
      assertEquals(200, bounded(() -> registry.get("/v2/_portcullis/ext/verification/" + repo + "/" + digest)).status());
      Resp explain = bounded(() -> registry.post("/v2/_portcullis/ext/policy/evaluate",
          ("{\"action\":\"pull\",\"repository\":\"" + repo + "\",\"reference\":\"" + digest + "\"}").getBytes(StandardCharsets.UTF_8),
          "Content-Type", "application/json"));
      assertEquals(200, explain.status(), explain::toString);
    }
    RegistryTestClient.assertError(pull(repo, "v1"), 403, "DENIED");
    Resp referrersOfA = registry.get("/v2/" + repo + "/referrers/" + a.digest());
    assertEquals(List.of(indexDigest, outerDigest).stream().sorted().toList(),
        java.util.stream.StreamSupport.stream(referrersOfA.json().path("manifests").spliterator(), false)
            .map(d -> d.path("digest").asText()).sorted().toList());
    // A layer of A: the gate looks at every manifest that holds it (A, and through A the indexes).
    RegistryTestClient.assertError(bounded(() -> registry.get("/v2/" + repo + "/blobs/" + Oci.sha256(a.layers().get(0)))), 403, "DENIED");

    // Deleting a manifest that others in the loop point at
    assertEquals(202, bounded(() -> registry.delete("/v2/" + repo + "/manifests/" + indexDigest)).status());
    assertEquals(404, bounded(() -> registry.get("/v2/" + repo + "/manifests/" + indexDigest, "Accept", Oci.ACCEPT_ALL)).status());
    assertEquals(200, bounded(() -> registry.get("/v2/" + repo + "/referrers/" + indexDigest)).status());
    RegistryTestClient.assertError(pull(repo, outerDigest), 403, "DENIED");
    assertEquals(200, pull(repo, childDigest).status());
  }

  @Test
  @Order(2)
  void aRunnableImageDisguisedAsEvidenceIsStillGated() {
    String repo = "prod/disguised";
    // tagged as cosign evidence of some other digest
    Image tagged = registry.pushImage(repo, "v1", 1);
    for (String suffix : List.of(".sig", ".att", ".sbom")) {
      registry.pushManifest(repo, Oci.sha256(Oci.randomBytes(8)).replace(':', '-') + suffix, Oci.OCI_MANIFEST, tagged.manifest());
    }
    RegistryTestClient.assertError(pull(repo, "v1"), 403, "DENIED");
    RegistryTestClient.assertError(pull(repo, tagged.digest()), 403, "DENIED");
    // an image manifest whose artifactType claims an SBOM, over a real filesystem layer
    byte[] config = Oci.config("amd64");
    byte[] claimsSbom = Oci.ociManifest()
        .artifactType(CYCLONEDX_JSON)
        .config(registry.uploadBlob(repo, Oci.OCI_CONFIG, config))
        .layer(registry.uploadBlob(repo, Oci.OCI_LAYER, Oci.randomBytes(2048)))
        .subject(tagged.descriptor())
        .build();
    registry.pushManifest(repo, "v2", Oci.OCI_MANIFEST, claimsSbom);
    RegistryTestClient.assertError(pull(repo, "v2"), 403, "DENIED");
  }

  @Test
  @Order(3)
  void garbageCollectionOverTheLoopEndsAndKeepsEveryManifest() throws Exception {
    Resp tagsBefore = registry.get("/v2/prod/loop/tags/list");
    assertEquals(200, tagsBefore.status());
    long start = System.nanoTime();
    // gc runs while the registry serves: a second handle on the same storage, as `portcullis gc` opens it
    try (Storage second = Storage.openEmbedded(storage)) {
      GarbageCollector gc = new GarbageCollector(second, Duration.ZERO);
      gc.run(true);
      gc.run(false);
      gc.run(false);
    }
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(BOUND) < 0, "gc ends promptly");
    assertEquals(tagsBefore.json(), registry.get("/v2/prod/loop/tags/list").json(), "gc keeps tags and manifests");
    for (String tag : List.of("v1")) RegistryTestClient.assertError(pull("prod/loop", tag), 403, "DENIED");
  }

  @Test
  @Order(4)
  void aManifestWithAsManyLayersAsFitInFourMibGetsBoundedAnswers() {
    String repo = "prod/wide";
    byte[] config = Oci.config("amd64");
    Descriptor layer = registry.uploadBlob(repo, Oci.OCI_LAYER, Oci.randomBytes(100));
    Oci.ManifestBuilder present = Oci.ociManifest().config(registry.uploadBlob(repo, Oci.OCI_CONFIG, config));
    Oci.ManifestBuilder missing = Oci.ociManifest().config(Descriptor.of(Oci.OCI_CONFIG, config));
    for (int i = 0; i < 20_000; i++) {
      present.layer(layer);
      missing.layer(new Descriptor(Oci.OCI_LAYER, Oci.sha256(("missing" + i).getBytes(StandardCharsets.UTF_8)), 100, null, null, null));
    }
    byte[] wideMissing = missing.build();
    assertTrue(wideMissing.length < 4 << 20, "under the manifest limit: " + wideMissing.length);
    RegistryTestClient.assertError(bounded(() -> registry.putManifest(repo, "missing", Oci.OCI_MANIFEST, wideMissing)), 400, "MANIFEST_BLOB_UNKNOWN");
    byte[] wide = present.build();
    Resp push = bounded(() -> registry.putManifest(repo, "v1", Oci.OCI_MANIFEST, wide));
    assertEquals(201, push.status(), push::toString);
    RegistryTestClient.assertError(pull(repo, "v1"), 403, "DENIED");
    RegistryTestClient.assertError(bounded(() -> registry.get("/v2/" + repo + "/blobs/" + layer.digest())), 403, "DENIED");
    assertEquals(200, bounded(() -> registry.get("/v2/" + repo + "/referrers/" + Oci.sha256(wide))).status());
    assertEquals(202, bounded(() -> registry.delete("/v2/" + repo + "/manifests/" + Oci.sha256(wide))).status());
  }

  // ---------------------------------------------------------------------------------------------
  // XML SBOMs with entities

  static final String BOM_NS = "http://cyclonedx.org/schema/bom/1.5";

  static String xxe() {
    return "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"" + canary.toUri() + "\">]>\n"
        + "<bom xmlns=\"" + BOM_NS + "\" version=\"1\"><components><component type=\"library\"><name>&xxe;</name>"
        + "<version>1.0</version><licenses><license><id>MIT</id></license></licenses></component></components></bom>";
  }

  static String externalDtd() {
    return "<?xml version=\"1.0\"?>\n<!DOCTYPE bom SYSTEM \"" + canary.toUri() + "\">\n"
        + "<bom xmlns=\"" + BOM_NS + "\" version=\"1\"><components><component type=\"library\"><name>libdtd</name>"
        + "<version>1.0</version></component></components></bom>";
  }

  static String parameterEntity() {
    return "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY % remote SYSTEM \"" + canary.toUri() + "\"> %remote;]>\n"
        + "<bom xmlns=\"" + BOM_NS + "\" version=\"1\"/>";
  }

  static String billionLaughs() {
    StringBuilder dtd = new StringBuilder("<!ENTITY lol0 \"lollollollollollollollollollol\">");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) dtd.append("&lol").append(i - 1).append(';');
      dtd.append("\">");
    }
    return "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [" + dtd + "]>\n"
        + "<bom xmlns=\"" + BOM_NS + "\" version=\"1\"><components><component type=\"library\"><name>&lol9;</name>"
        + "<version>1.0</version></component></components></bom>";
  }

  @Test
  @Order(10)
  void xmlSbomsWithEntitiesAreStoredAsTheyAreAndTheirEntitiesNeverResolved() {
    String repo = "prod/xxe";
    Image img = registry.pushImage(repo, "v1", 1);
    Map<String, String> docs = Map.of("xxe", xxe(), "external-dtd", externalDtd(), "parameter-entity", parameterEntity(),
        "billion-laughs", billionLaughs());
    for (Map.Entry<String, String> doc : docs.entrySet()) {
      byte[] bytes = doc.getValue().getBytes(StandardCharsets.UTF_8);
      byte[] manifest = artifact(repo, CYCLONEDX_XML, CYCLONEDX_XML, bytes, img.descriptor());
      Resp push = bounded(() -> registry.putManifest(repo, Oci.sha256(manifest), Oci.OCI_MANIFEST, manifest));
      assertEquals(201, push.status(), () -> doc.getKey() + ": " + push);
      // pulled back byte for byte
      Resp blob = bounded(() -> registry.get("/v2/" + repo + "/blobs/" + Oci.sha256(bytes)));
      assertEquals(200, blob.status(), blob::toString);
      assertTrue(Arrays.equals(bytes, blob.body()), doc.getKey() + " is served as it was pushed");
    }
    Resp sboms = bounded(() -> registry.get("/v2/_portcullis/ext/sbom/" + repo + "/" + img.digest()));
    assertEquals(200, sboms.status(), sboms::toString);
    assertEquals(0, sboms.json().path("sboms").size(), () -> "no document with entities is read: " + sboms);
    assertEquals(docs.size(), sboms.json().path("errors").size(), () -> "each is reported as refused: " + sboms);
    assertFalse(sboms.text().contains("lollollol"), "no entity was expanded");
    Resp denied = pull(repo, "v1");
    RegistryTestClient.assertError(denied, 403, "DENIED");
    assertFalse(denied.text().contains("lollollol"));
    // the component index saw nothing either
    Resp search = bounded(() -> registry.get("/v2/_portcullis/ext/search/components?name=" + RegistryTestClient.encode(canaryText)));
    assertEquals(200, search.status(), search::toString);
    assertEquals(0, search.json().path("results").size());
    assertEquals(200, registry.get("/v2/").status(), "the server keeps serving");
  }

  // ---------------------------------------------------------------------------------------------
  // Compressed payloads

  /**
   * gzip of {@code size} zero bytes (a multiple of 16 MiB), made cheaply: a gzip file may be several gzip
   * members one after the other, so one member of 16 MiB of zeros is repeated.
   */
  static byte[] gzipOfZeros(long size) throws Exception {
    byte[] member = gzip(new byte[16 << 20]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long done = 0; done < size; done += 16 << 20) out.write(member);
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  @Order(20)
  void aGzipBombLayerIsStoredAndServedAsItsCompressedBytes() throws Exception {
    String repo = "plain/bomb";
    byte[] bomb = gzipOfZeros(1L << 30); // 1 GiB of zeros in about 1 MiB; the test JVM has 256 MiB of heap
    assertTrue(bomb.length < 2 << 20, "the bomb is small: " + bomb.length);
    byte[] config = Oci.config("amd64");
    byte[] manifest = Oci.ociManifest()
        .config(registry.uploadBlob(repo, Oci.OCI_CONFIG, config))
        .layer(registry.uploadBlob(repo, Oci.OCI_LAYER, bomb))
        .build();
    Resp push = bounded(() -> registry.putManifest(repo, "v1", Oci.OCI_MANIFEST, manifest));
    assertEquals(201, push.status(), push::toString);
    assertEquals(200, pull(repo, "v1").status());
    for (String acceptEncoding : new String[] {"identity", "gzip"}) {
      Resp blob = bounded(() -> registry.get("/v2/" + repo + "/blobs/" + Oci.sha256(bomb), "Accept-Encoding", acceptEncoding));
      assertEquals(200, blob.status(), blob::toString);
      assertEquals(String.valueOf(bomb.length), blob.headerOrNull("Content-Length"));
      assertEquals(null, blob.headerOrNull("Content-Encoding"), "served as stored, never re-encoded");
      assertEquals(Oci.sha256(bomb), Oci.sha256(blob.body()), "the digest of what is served is the digest pushed");
    }
    Resp ranged = bounded(() -> registry.get("/v2/" + repo + "/blobs/" + Oci.sha256(bomb), "Range", "bytes=0-1"));
    assertEquals(206, ranged.status());
    assertTrue(Arrays.equals(new byte[] {0x1f, (byte) 0x8b}, ranged.body()), "the gzip magic: the bytes are not inflated");
  }

  @Test
  @Order(21)
  void aGzippedSbomIsNeverInflated() throws Exception {
    String repo = "prod/gzsbom";
    Image img = registry.pushImage(repo, "v1", 1);
    String doc = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[{\"type\":\"library\","
        + "\"name\":\"libinflated\",\"version\":\"1.0\",\"purl\":\"pkg:npm/libinflated@1.0\"}]}";
    byte[] gz = gzip(doc.getBytes(StandardCharsets.UTF_8));
    byte[] bomb = gzipOfZeros(64L << 20);
    for (byte[] layer : List.of(gz, bomb)) {
      byte[] manifest = artifact(repo, CYCLONEDX_JSON, CYCLONEDX_JSON, layer, img.descriptor());
      assertEquals(201, bounded(() -> registry.putManifest(repo, Oci.sha256(manifest), Oci.OCI_MANIFEST, manifest)).status());
      Resp blob = bounded(() -> registry.get("/v2/" + repo + "/blobs/" + Oci.sha256(layer)));
      assertEquals(Oci.sha256(layer), Oci.sha256(blob.body()));
    }
    Resp sboms = bounded(() -> registry.get("/v2/_portcullis/ext/sbom/" + repo + "/" + img.digest()));
    assertEquals(200, sboms.status(), sboms::toString);
    assertFalse(sboms.text().contains("libinflated"), () -> "the gzipped SBOM was inflated: " + sboms);
    assertEquals(0, sboms.json().path("sboms").size(), sboms::toString);
    Resp search = bounded(() -> registry.get("/v2/_portcullis/ext/search/components?name=libinflated"));
    assertEquals(0, search.json().path("results").size(), search::toString);
    RegistryTestClient.assertError(pull(repo, "v1"), 403, "DENIED");
  }

  @Test
  @Order(22)
  void bodiesSentWithContentEncodingGzipAreStoredAsSent() throws Exception {
    String repo = "plain/encoded";
    byte[] plain = Oci.randomBytes(20_000);
    byte[] gz = gzip(plain);
    // monolithic: the digest of the bytes sent
    Resp mono = registry.post("/v2/" + repo + "/blobs/uploads/?digest=" + Oci.sha256(gz), gz, "Content-Encoding", "gzip",
        "Content-Type", "application/octet-stream");
    assertEquals(201, mono.status(), mono::toString);
    registry.assertBlob(repo, Oci.sha256(gz), gz);
    // chunked PATCH, then PUT: the same
    byte[] gz2 = gzip(Oci.randomBytes(30_000));
    Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
    Resp patch = registry.patch(post.headerOrNull("Location"), gz2, "Content-Encoding", "gzip", "Content-Type", "application/octet-stream");
    assertEquals(202, patch.status(), patch::toString);
    Resp put = registry.put(RegistryTestClient.withQuery(patch.headerOrNull("Location"), "digest", Oci.sha256(gz2)), null);
    assertEquals(201, put.status(), put::toString);
    registry.assertBlob(repo, Oci.sha256(gz2), gz2);
    // streamed without a length (chunked transfer), encoded: still the bytes as sent
    byte[] gz3 = gzip(Oci.randomBytes(50_000));
    HttpResponse<java.io.InputStream> streamed = registry.stream("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Oci.sha256(gz3),
        BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(gz3)), "Content-Encoding", "gzip");
    streamed.body().close();
    assertEquals(201, streamed.statusCode());
    registry.assertBlob(repo, Oci.sha256(gz3), gz3);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(100)
  void afterwardsTheRegistryStillPushesAndPulls() {
    Image img = registry.pushImage("smoke/after", "v1", 2);
    Resp pulled = registry.get("/v2/smoke/after/manifests/v1", "Accept", Oci.ACCEPT_ALL);
    assertEquals(200, pulled.status(), pulled::toString);
    assertTrue(Arrays.equals(img.manifest(), pulled.body()));
    registry.assertBlob("smoke/after", Oci.sha256(img.layers().get(0)), img.layers().get(0));
  }
}
