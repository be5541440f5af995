package io.portcullis.gateway.gate;

import static io.portcullis.gateway.gate.EvidenceAttacher.attachSbom;
import static io.portcullis.gateway.gate.EvidenceAttacher.cycloneDx;
import static io.portcullis.gateway.gate.EvidenceAttacher.signAsReferrer;
import static io.portcullis.gateway.gate.EvidenceAttacher.sigTag;
import static io.portcullis.gateway.gate.EvidenceAttacher.signWithTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.attest.keys.CosignKeyPair;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admission gate end to end over HTTP, with the built-in default bundle: {@code prod/**} needs a
 * signature verified by a trust policy and an SBOM; licenses and critical findings are checked.
 */
class GateTest {
  static final CosignKeyPair RELEASE_KEY = CosignKeyPair.generate();
  static final CosignKeyPair OTHER_KEY = CosignKeyPair.generate();
  static RegistryTestClient registry;
  static Path storage;

  static Path shared() {
    String p = System.getProperty("portcullis.shared");
    return p != null ? Path.of(p) : Path.of("..", "..", "shared");
  }

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Path skopeoKey = shared().resolve("fixtures/skopeo-sigstore/keys/cosign.pub");
    List<TrustPolicy> trust = List.of(
        TrustPolicy.ofKeys("release", List.of(TrustedKey.of("release.pub", RELEASE_KEY.publicKey())), null),
        TrustPolicy.ofKeys("skopeo-fixture", List.of(TrustedKey.of("cosign.pub", PublicKeyReader.fromPem(Files.readString(skopeoKey)))), null));
    storage = dir;
    registry = RegistryTestClient.start(dir, cfg -> cfg.withGate(cfg.gate().withTrust(trust)));
  }

  @AfterAll
  static void stop() { registry.close(); }

  private static String goodSbom() { return cycloneDx("MIT", 0); }

  private static Image signedImageWithSbom(String repo, String tag) throws Exception {
    Image img = registry.pushImage(repo, tag, 2);
    signWithTag(registry, repo, img.digest(), RELEASE_KEY);
    attachSbom(registry, repo, img.digest(), img.manifest().length, Oci.OCI_MANIFEST, goodSbom());
    return img;
  }

  private static Resp pull(String repo, String reference) {
    return registry.get("/v2/" + repo + "/manifests/" + reference, "Accept", Oci.ACCEPT_ALL);
  }

  private static void assertDenied(Resp r, String... messageParts) {
    RegistryTestClient.assertError(r, 403, "DENIED");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    for (String part : messageParts) assertTrue(body.contains(part), () -> "expected '" + part + "' in " + body);
  }

  @Test
  void unsignedImageInAProtectedRepositoryIsDeniedWithAMessageSayingWhatIsMissing() {
    Image img = registry.pushImage("prod/unsigned", "v1", 1);
    assertDenied(pull("prod/unsigned", "v1"), "no signature verified by a trust policy", "release (keys: ");
    assertDenied(pull("prod/unsigned", img.digest()));
    assertEquals(403, registry.head("/v2/prod/unsigned/manifests/v1", "Accept", Oci.ACCEPT_ALL).status(), "HEAD goes through the gate too");
  }

  @Test
  void layersOfADeniedImageCannotBeFetchedByDigest() {
    Image img = registry.pushImage("prod/layers", "v1", 2);
    String layer = Oci.sha256(img.layers().get(0));
    assertDenied(registry.get("/v2/prod/layers/blobs/" + layer), "belongs only to manifests the policy denies");
    assertDenied(registry.get("/v2/prod/layers/blobs/" + Oci.sha256(img.config())));
    assertEquals(200, registry.head("/v2/prod/layers/blobs/" + layer).status(),
        "a pusher may still ask whether the blob exists (skopeo does before re-pushing the image to sign it)");
    // the manifest's own bytes, fetched as a blob, are gated too
    assertDenied(registry.get("/v2/prod/layers/blobs/" + img.digest()));
  }

  @Test
  void signedImageWithAnSbomIsServedWithItsLayers() throws Exception {
    Image img = signedImageWithSbom("prod/signed", "v1");
    Resp r = pull("prod/signed", "v1");
    assertEquals(200, r.status(), r::toString);
    assertEquals(img.digest(), r.headerOrNull("Docker-Content-Digest"));
    registry.assertBlob("prod/signed", Oci.sha256(img.layers().get(1)), img.layers().get(1));
  }

  @Test
  void ociReferrerSignaturesCountLikeTaggedOnes() throws Exception {
    Image img = registry.pushImage("prod/referrer-signed", "v1", 1);
    signAsReferrer(registry, "prod/referrer-signed", img.digest(), img.manifest().length, RELEASE_KEY);
    attachSbom(registry, "prod/referrer-signed", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, goodSbom());
    assertEquals(200, pull("prod/referrer-signed", "v1").status());
  }

  @Test
  void aSignatureByAnUntrustedKeyIsRefused() throws Exception {
    Image img = registry.pushImage("prod/wrong-key", "v1", 1);
    signWithTag(registry, "prod/wrong-key", img.digest(), OTHER_KEY);
    attachSbom(registry, "prod/wrong-key", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, goodSbom());
    assertDenied(pull("prod/wrong-key", "v1"), "1 found, none verified");
  }

  @Test
  void skopeoMadeSignaturesFromTheFixturesAreAccepted() throws Exception {
    Path fx = shared().resolve("fixtures/skopeo-sigstore");
    String repo = "prod/demo/signed";
    registry.uploadBlob(repo, Files.readAllBytes(fx.resolve("image/config.json")));
    registry.uploadBlob(repo, Files.readAllBytes(fx.resolve("image/layer.tar.gz")));
    byte[] manifest = Files.readAllBytes(fx.resolve("image/manifest.json"));
    String digest = registry.pushManifest(repo, "v1", Oci.OCI_MANIFEST, manifest).digest();
    assertDenied(pull(repo, "v1"), "no signature verified");
    registry.uploadBlob(repo, Files.readAllBytes(fx.resolve("sig-k1/sig-config.json")));
    registry.uploadBlob(repo, Files.readAllBytes(fx.resolve("sig-k1/sig-payload-1.json")));
    registry.pushManifest(repo, EvidenceAttacher.sigTag(digest), Oci.OCI_MANIFEST, Files.readAllBytes(fx.resolve("sig-k1/sig-manifest.json")));
    attachSbom(registry, repo, digest, manifest.length, Oci.OCI_MANIFEST, goodSbom());
    Resp r = pull(repo, "v1");
    assertEquals(200, r.status(), r::toString);
  }

  @Test
  void aSignatureCopiedFromAnotherImageIsRefused() throws Exception {
    // The fixture's negative case: skopeo's valid signature of one image copied to another image's .sig tag.
    Path fx = shared().resolve("fixtures/skopeo-sigstore");
    String repo = "prod/demo/copied";
    Image other = registry.pushImage(repo, "v1", 1);
    registry.uploadBlob(repo, Files.readAllBytes(fx.resolve("sig-k1/sig-config.json")));
    registry.uploadBlob(repo, Files.readAllBytes(fx.resolve("neg-tampered/sig-payload-1.json")));
    registry.pushManifest(repo, EvidenceAttacher.sigTag(other.digest()), Oci.OCI_MANIFEST,
        Files.readAllBytes(fx.resolve("neg-tampered/sig-manifest.json")));
    attachSbom(registry, repo, other.digest(), other.manifest().length, Oci.OCI_MANIFEST, goodSbom());
    assertDenied(pull(repo, "v1"), "none verified");
  }

  @Test
  void aSignedImageWithoutAnSbomIsRefused() throws Exception {
    Image img = registry.pushImage("prod/no-sbom", "v1", 1);
    signWithTag(registry, "prod/no-sbom", img.digest(), RELEASE_KEY);
    assertDenied(pull("prod/no-sbom", "v1"), "has no SBOM");
  }

  @Test
  void aComponentUnderADeniedLicenseIsNamed() throws Exception {
    Image img = registry.pushImage("prod/agpl", "v1", 1);
    signWithTag(registry, "prod/agpl", img.digest(), RELEASE_KEY);
    attachSbom(registry, "prod/agpl", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, cycloneDx("AGPL-3.0-only", 0));
    assertDenied(pull("prod/agpl", "v1"), "libfoo", "AGPL-3.0-only");
  }

  @Test
  void anAdmittedImageIsRefusedAsSoonAsItsEvidenceChanges() throws Exception {
    Image img = signedImageWithSbom("prod/revoked", "v1");
    String layer = Oci.sha256(img.layers().get(0));
    // Admitted twice: the second answer comes from the gate's caches.
    for (int i = 0; i < 2; i++) {
      assertEquals(200, pull("prod/revoked", "v1").status());
      assertEquals(200, registry.get("/v2/prod/revoked/blobs/" + layer).status());
    }
    // An SBOM with a denied license attached later refuses the image and its layers at once.
    attachSbom(registry, "prod/revoked", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, cycloneDx("AGPL-3.0-only", 0));
    assertDenied(pull("prod/revoked", "v1"), "AGPL-3.0-only");
    assertDenied(registry.get("/v2/prod/revoked/blobs/" + layer), "belongs only to manifests the policy denies");
    // Likewise when the signature is deleted from an image that was admitted a moment ago.
    Image other = signedImageWithSbom("prod/unsigned-later", "v1");
    String otherLayer = Oci.sha256(other.layers().get(0));
    assertEquals(200, pull("prod/unsigned-later", "v1").status());
    assertEquals(200, registry.get("/v2/prod/unsigned-later/blobs/" + otherLayer).status());
    assertEquals(202, registry.delete("/v2/prod/unsigned-later/manifests/" + sigTag(other.digest())).status());
    assertDenied(pull("prod/unsigned-later", "v1"), "no signature verified by a trust policy");
    assertDenied(registry.get("/v2/prod/unsigned-later/blobs/" + otherLayer));
  }

  @Test
  void criticalFindingsInAnAttachedReportAreRefused() throws Exception {
    Image img = registry.pushImage("prod/vulnerable", "v1", 1);
    signWithTag(registry, "prod/vulnerable", img.digest(), RELEASE_KEY);
    attachSbom(registry, "prod/vulnerable", img.digest(), img.manifest().length, Oci.OCI_MANIFEST, cycloneDx("MIT", 2));
    assertDenied(pull("prod/vulnerable", "v1"), "2 critical vulnerabilities");
  }

  @Test
  void evidenceStaysReadableSoThatClientsCanVerify() throws Exception {
    Image img = registry.pushImage("prod/evidence", "v1", 1);
    signWithTag(registry, "prod/evidence", img.digest(), OTHER_KEY);
    Resp sig = pull("prod/evidence", EvidenceAttacher.sigTag(img.digest()));
    assertEquals(200, sig.status(), "a signature artifact is readable even though the image is denied: " + sig);
    Resp referrers = registry.get("/v2/prod/evidence/referrers/" + img.digest());
    assertEquals(200, referrers.status());
  }

  @Test
  void childrenOfAnAdmittedIndexPullByDigest() throws Exception {
    String repo = "prod/multiarch";
    Image amd = registry.pushImage(repo, null, 1);
    Image arm = registry.pushImage(repo, null, 1);
    byte[] index = Oci.index(Oci.OCI_INDEX, List.of(amd.descriptor().withPlatform("linux", "amd64"), arm.descriptor().withPlatform("linux", "arm64")));
    String indexDigest = registry.pushManifest(repo, "v1", Oci.OCI_INDEX, index).digest();
    assertDenied(pull(repo, amd.digest()));
    signWithTag(registry, repo, indexDigest, RELEASE_KEY);
    attachSbom(registry, repo, indexDigest, index.length, Oci.OCI_INDEX, goodSbom());
    assertEquals(200, pull(repo, "v1").status());
    Resp child = pull(repo, arm.digest());
    assertEquals(200, child.status(), child::toString);
    assertTrue(child.headerOrNull("Portcullis-Policy-Warning").contains("admitted as part of the admitted index"), child::toString);
    registry.assertBlob(repo, Oci.sha256(arm.layers().get(0)), arm.layers().get(0));
  }

  @Test
  void releaseTagsInProtectedRepositoriesAreImmutable() throws Exception {
    String repo = "prod/releases";
    Image first = registry.pushImage(repo, "1.0.0", 1);
    Image second = registry.pushImage(repo, "scratch", 1);
    Resp move = registry.putManifest(repo, "1.0.0", Oci.OCI_MANIFEST, second.manifest());
    assertDenied(move, "tag 1.0.0 of prod/releases is immutable");
    Resp head = registry.head("/v2/" + repo + "/manifests/1.0.0");
    // the gate denies the unsigned pull, but the tag still points to the first image
    assertTrue(registry.get("/v2/_portcullis/ext/decisions?repository=prod/releases&action=push").status() == 200);
    assertEquals(403, head.status());
    JsonNode tags = Oci.JSON.readTree(registry.get("/v2/" + repo + "/tags/list").body());
    assertEquals("[\"1.0.0\",\"scratch\"]", tags.path("tags").toString());
    Resp evaluate = registry.post("/v2/_portcullis/ext/policy/evaluate",
        ("{\"action\":\"pull\",\"repository\":\"" + repo + "\",\"reference\":\"1.0.0\"}").getBytes(StandardCharsets.UTF_8));
    assertEquals(first.digest(), Oci.JSON.readTree(evaluate.body()).path("input").path("artifact").path("digest").asText(),
        "the denied push moved nothing");
    assertDenied(registry.delete("/v2/" + repo + "/manifests/1.0.0"), "cannot be deleted");
    assertEquals(202, registry.delete("/v2/" + repo + "/manifests/scratch").status());
  }

  @Test
  void aDeniedPushLeavesNoReferrerBehind() throws Exception {
    String repo = "prod/push-denied";
    Image img = registry.pushImage(repo, "v1", 1);
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    String weird = "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"artifactType\":\"application/x.huge\","
        + "\"config\":{\"mediaType\":\"" + Oci.OCI_EMPTY + "\",\"digest\":\"" + Oci.EMPTY_JSON_DIGEST + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/x.huge\",\"digest\":\"" + Oci.EMPTY_JSON_DIGEST + "\",\"size\":99999999999999}],"
        + "\"subject\":{\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"digest\":\"" + img.digest() + "\",\"size\":" + img.manifest().length + "}}";
    byte[] body = weird.getBytes(StandardCharsets.UTF_8);
    assertDenied(registry.putManifest(repo, Oci.sha256(body), Oci.OCI_MANIFEST, body), "bytes, more than the");
    JsonNode referrers = Oci.JSON.readTree(registry.get("/v2/" + repo + "/referrers/" + img.digest()).body());
    assertEquals(0, referrers.path("manifests").size(), referrers::toString);
    assertEquals(404, registry.get("/v2/" + repo + "/manifests/" + Oci.sha256(body)).status());
  }

  @Test
  void unprotectedRepositoriesServeUnsignedImagesWithAWarning() {
    Image img = registry.pushImage("dev/app", "v1", 1);
    Resp r = pull("dev/app", "v1");
    assertEquals(200, r.status());
    assertTrue(r.headerOrNull("Portcullis-Policy-Warning").contains("not signed"), r::toString);
    registry.assertBlob("dev/app", Oci.sha256(img.layers().get(0)), img.layers().get(0));
  }

  @Test
  void decisionsAreLoggedAndServed() throws Exception {
    registry.pushImage("prod/logged", "v1", 1);
    pull("prod/logged", "v1");
    JsonNode log = Oci.JSON.readTree(registry.get("/v2/_portcullis/ext/decisions?repository=prod/logged&action=pull").body());
    JsonNode last = log.path("decisions").get(log.path("decisions").size() - 1);
    assertFalse(last.path("allowed").asBoolean());
    assertTrue(last.path("deny").toString().contains("no signature verified"), last::toString);
    assertTrue(last.path("revision").asText().startsWith("default@"));
    assertTrue(Files.readString(storage.resolve("decisions.jsonl")).contains("prod/logged"));
  }

  @Test
  void verificationAndSbomEndpointsShowWhatTheGateSees() throws Exception {
    Image img = signedImageWithSbom("prod/inspect", "v1");
    JsonNode report = Oci.JSON.readTree(registry.get("/v2/_portcullis/ext/verification/prod/inspect/" + img.digest()).body());
    assertTrue(report.path("signatures").get(0).path("verified").asBoolean(), report::toString);
    JsonNode sboms = Oci.JSON.readTree(registry.get("/v2/_portcullis/ext/sbom/prod/inspect/" + img.digest()).body());
    assertEquals("pkg:npm/libfoo@1.0", sboms.path("sboms").get(0).path("document").path("components").get(0).path("purl").asText(), sboms::toString);
  }

  @Test
  void concurrentPullsWhileASignatureIsPushedNeverServeTheImageEarly() throws Exception {
    String repo = "prod/race";
    Image img = registry.pushImage(repo, "v1", 1);
    attachSbom(registry, repo, img.digest(), img.manifest().length, Oci.OCI_MANIFEST, goodSbom());
    AtomicLong signedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<long[]> results = new ConcurrentLinkedQueue<>(); // {startNanos, status}
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int t = 0; t < 4; t++) {
        pool.submit(() -> {
          for (int i = 0; i < 2000 && !stop.get(); i++) {
            long start = System.nanoTime();
            int status = pull(repo, "v1").status();
            results.add(new long[] {start, status});
          }
          return null;
        });
      }
      Thread.sleep(300);
      long before = System.nanoTime();
      signWithTag(registry, repo, img.digest(), RELEASE_KEY);
      signedAt.set(before);
      Thread.sleep(300);
    } finally {
      stop.set(true);
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }
    List<long[]> early = new ArrayList<>();
    int allowedAfter = 0;
    for (long[] r : results) {
      if (r[1] == 200 && r[0] < signedAt.get()) early.add(r);
      if (r[1] == 200) allowedAfter++;
      assertTrue(r[1] == 200 || r[1] == 403, "unexpected status " + r[1]);
    }
    assertTrue(early.isEmpty(), early.size() + " pulls that started before the signature was pushed were served");
    assertTrue(allowedAfter > 0, "pulls after the signature must be served");
    assertEquals(200, pull(repo, "v1").status());
  }
}
