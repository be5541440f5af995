package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Page;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Content discovery (distribution-spec "Content Discovery"): tags list, catalog, and the referrers API. */
class ContentDiscoveryTest extends RegistryTestBase {
  /** ASCII order and case-insensitive order agree on these. */
  private static final List<String> SORTED_TAGS = List.of("1.0", "1.0-rc1", "alpha", "beta", "latest", "v10", "v2");

  private static String pushTags(List<String> tags) {
    String repo = RegistryTestClient.newRepo("disc");
    Image img = registry.pushImage(repo, null, 1);
    List<String> shuffled = new ArrayList<>(tags);
    java.util.Collections.shuffle(shuffled, new java.util.Random(7));
    for (String t : shuffled) registry.pushManifest(repo, t, Oci.OCI_MANIFEST, img.manifest());
    return repo;
  }

  // --- tags ----------------------------------------------------------------------------------------

  @Test
  void tagsListIsSortedLexically() {
    String repo = pushTags(SORTED_TAGS);
    Page page = registry.tagsPage("/v2/" + repo + "/tags/list");
    assertEquals(SORTED_TAGS, page.items());
    assertEquals(repo, page.resp().json().path("name").asText(), page.resp()::toString);
    assertNull(page.next(), () -> "no Link on a complete list: " + page.resp());
    Page big = registry.tagsPage("/v2/" + repo + "/tags/list?n=100");
    assertEquals(SORTED_TAGS, big.items());
    assertNull(big.next(), () -> "no Link when n covers every tag: " + big.resp());
  }

  @Test
  void tagsListIsLimitedByNWithALinkToTheNextPage() {
    String repo = pushTags(SORTED_TAGS);
    Page first = registry.tagsPage("/v2/" + repo + "/tags/list?n=3");
    assertEquals(SORTED_TAGS.subList(0, 3), first.items());
    assertNotNull(first.next(), () -> "more tags remain, so a Link rel=\"next\" is expected: " + first.resp());
    List<String> all = new ArrayList<>(first.items());
    String next = first.next();
    int pages = 1;
    while (next != null) {
      Page p = registry.tagsPage(next);
      assertTrue(p.items().size() <= 3, p.resp()::toString);
      all.addAll(p.items());
      next = p.next();
      assertTrue(++pages < 10, "pagination does not end");
    }
    assertEquals(SORTED_TAGS, all, "following Link gives every tag once, in order");
  }

  @Test
  void tagsListStartsAfterLast() {
    String repo = pushTags(SORTED_TAGS);
    Page p = registry.tagsPage("/v2/" + repo + "/tags/list?n=2&last=alpha");
    assertEquals(List.of("beta", "latest"), p.items());
    Page rest = registry.tagsPage("/v2/" + repo + "/tags/list?last=latest");
    assertEquals(List.of("v10", "v2"), rest.items());
    Page none = registry.tagsPage("/v2/" + repo + "/tags/list?last=v2");
    assertEquals(List.of(), none.items());
    Page between = registry.tagsPage("/v2/" + repo + "/tags/list?n=10&last=b");
    assertEquals(List.of("beta", "latest", "v10", "v2"), between.items(), "last need not be an existing tag");
  }

  @Test
  void tagsListWithNZeroIsEmpty() {
    String repo = pushTags(List.of("a", "b"));
    Page p = registry.tagsPage("/v2/" + repo + "/tags/list?n=0");
    assertEquals(List.of(), p.items());
    assertNull(p.next(), p.resp()::toString);
  }

  @Test
  void tagsListOfUnknownRepositoryIs404() {
    assertError(registry.get("/v2/no/such/repo/tags/list"), 404, ErrorCodes.NAME_UNKNOWN);
  }

  // --- catalog --------------------------------------------------------------------------------------

  @Test
  void catalogListsRepositoriesInOrderAndPaginates() {
    List<String> mine = List.of("catalog/zeta", "catalog/alpha", "catalog/alpha/deeper", "catalog/m-1");
    for (String repo : mine) registry.pushImage(repo, "t", 1);
    Page full = registry.catalogPage("/v2/_catalog");
    List<String> all = full.items();
    assertTrue(all.containsAll(mine), all::toString);
    List<String> sorted = new ArrayList<>(all);
    java.util.Collections.sort(sorted);
    assertEquals(sorted, all, "catalog in lexical order");
    assertEquals(new HashSet<>(all).size(), all.size(), "no duplicates");

    List<String> paged = new ArrayList<>();
    String next = "/v2/_catalog?n=2";
    int pages = 0;
    while (next != null) {
      Page p = registry.catalogPage(next);
      assertTrue(p.items().size() <= 2, p.resp()::toString);
      paged.addAll(p.items());
      next = p.next();
      assertTrue(++pages <= all.size() + 1, "pagination does not end");
    }
    assertEquals(all, paged, "following Link from n=2 gives the full catalog");

    Page after = registry.catalogPage("/v2/_catalog?last=catalog/alpha");
    assertFalse(after.items().contains("catalog/alpha"));
    assertTrue(after.items().contains("catalog/alpha/deeper"), after.items()::toString);
  }

  // --- referrers -------------------------------------------------------------------------------------

  private static final String TYPE_A = "application/vnd.portcullis.test.a";
  private static final String TYPE_B = "application/vnd.portcullis.test.b";

  /** A referrer whose artifact type comes from its config media type (no artifactType field). */
  private static Descriptor pushConfigTypedReferrer(String repo, Descriptor subject, String type, String note) {
    Descriptor cfg = registry.uploadBlob(repo, type, ("{\"note\":\"" + note + "\"}").getBytes());
    Descriptor layer = registry.uploadBlob(repo, "application/octet-stream", Oci.randomBytes(50));
    byte[] m = Oci.ociManifest().config(cfg).layer(layer).subject(subject)
        .annotation("org.portcullis.test", note).build();
    return put(repo, m, Oci.OCI_MANIFEST, subject);
  }

  /** A referrer with an artifactType field and the empty config. */
  private static Descriptor pushArtifactTypedReferrer(String repo, Descriptor subject, String type, String note) {
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    Descriptor layer = registry.uploadBlob(repo, "text/plain", ("note " + note).getBytes());
    byte[] m = Oci.ociManifest().artifactType(type)
        .config(new Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null)).layer(layer)
        .subject(subject).annotation("org.portcullis.test", note).build();
    return put(repo, m, Oci.OCI_MANIFEST, subject);
  }

  private static Descriptor put(String repo, byte[] m, String mediaType, Descriptor subject) {
    Resp r = registry.putManifest(repo, Oci.sha256(m), mediaType, m);
    assertEquals(201, r.status(), r::toString);
    assertEquals(subject.digest(), r.headerOrNull("OCI-Subject"), () -> "OCI-Subject on a PUT with subject: " + r);
    return Descriptor.of(mediaType, m);
  }

  private static Resp referrers(String repo, String digest, String query) {
    Resp r = registry.get("/v2/" + repo + "/referrers/" + digest + (query == null ? "" : query));
    assertEquals(200, r.status(), r::toString);
    assertEquals(Oci.OCI_INDEX, r.headerOrNull("Content-Type"), r::toString);
    JsonNode body = r.json();
    assertEquals(2, body.path("schemaVersion").asInt(), r::toString);
    assertEquals(Oci.OCI_INDEX, body.path("mediaType").asText(), r::toString);
    assertTrue(body.path("manifests").isArray(), r::toString);
    return r;
  }

  /** All descriptors, following Link pages if the registry paginates. */
  private static List<JsonNode> allReferrers(String repo, String digest, String query) {
    List<JsonNode> out = new ArrayList<>();
    Resp r = referrers(repo, digest, query);
    int pages = 0;
    while (true) {
      r.json().path("manifests").forEach(out::add);
      String next = RegistryTestClient.nextLink(r);
      if (next == null) return out;
      assertTrue(++pages < 100, "referrers pagination does not end");
      r = registry.get(next);
      assertEquals(200, r.status(), r::toString);
    }
  }

  @Test
  void referrersListsEveryManifestWithThatSubject() {
    String repo = RegistryTestClient.newRepo("refs");
    Image subjectImg = registry.pushImage(repo, "subject", 1);
    Descriptor subject = subjectImg.descriptor();
    Descriptor a1 = pushConfigTypedReferrer(repo, subject, TYPE_A, "a1");
    Descriptor a2 = pushArtifactTypedReferrer(repo, subject, TYPE_A, "a2");
    Descriptor b1 = pushArtifactTypedReferrer(repo, subject, TYPE_B, "b1");
    byte[] idx = Oci.index(Oci.OCI_INDEX, List.of(), null, subject, Map.of("org.portcullis.test", "idx"));
    Descriptor index = put(repo, idx, Oci.OCI_INDEX, subject);
    // an unrelated manifest that refers to something else must not appear
    Image other = registry.pushImage(repo, "other", 1);
    pushArtifactTypedReferrer(repo, other.descriptor(), TYPE_A, "elsewhere");

    List<JsonNode> list = allReferrers(repo, subject.digest(), null);
    assertEquals(4, list.size(), list::toString);
    JsonNode arr = Oci.JSON.valueToTree(list);
    Map<Descriptor, String> expectedTypes = Map.of(a1, TYPE_A, a2, TYPE_A, b1, TYPE_B);
    expectedTypes.forEach((d, type) -> {
      JsonNode got = JsonAssert.byDigest(arr, d.digest());
      assertEquals(Oci.OCI_MANIFEST, got.path("mediaType").asText(), got::toString);
      assertEquals(d.size(), got.path("size").asLong(), got::toString);
      assertEquals(type, got.path("artifactType").asText(), got::toString);
      assertEquals(1, got.path("annotations").size(), got::toString);
    });
    assertEquals("a1", JsonAssert.byDigest(arr, a1.digest()).path("annotations").path("org.portcullis.test").asText());
    assertEquals("b1", JsonAssert.byDigest(arr, b1.digest()).path("annotations").path("org.portcullis.test").asText());
    JsonNode gotIndex = JsonAssert.byDigest(arr, index.digest());
    assertEquals(Oci.OCI_INDEX, gotIndex.path("mediaType").asText(), gotIndex::toString);
    assertFalse(gotIndex.has("artifactType"), () -> "an index without artifactType gets none: " + gotIndex);
    assertEquals("idx", gotIndex.path("annotations").path("org.portcullis.test").asText(), gotIndex::toString);
  }

  @Test
  void referrersFilterByArtifactType() {
    String repo = RegistryTestClient.newRepo("refs");
    Descriptor subject = registry.pushImage(repo, "s", 1).descriptor();
    Descriptor a1 = pushConfigTypedReferrer(repo, subject, TYPE_A, "a1");
    Descriptor a2 = pushArtifactTypedReferrer(repo, subject, TYPE_A, "a2");
    pushArtifactTypedReferrer(repo, subject, TYPE_B, "b1");
    Resp r = referrers(repo, subject.digest(), "?artifactType=" + RegistryTestClient.encode(TYPE_A));
    assertEquals("artifactType", r.headerOrNull("OCI-Filters-Applied"), r::toString);
    assertEquals(Set.of(a1.digest(), a2.digest()), new HashSet<>(JsonAssert.digests(r.json().path("manifests"))));
    Resp none = referrers(repo, subject.digest(), "?artifactType=" + RegistryTestClient.encode("application/none"));
    assertEquals(0, none.json().path("manifests").size(), none::toString);
    Resp unfiltered = referrers(repo, subject.digest(), null);
    assertNull(unfiltered.headerOrNull("OCI-Filters-Applied"), unfiltered::toString);
  }

  @Test
  void indexReferrerCarriesItsOwnArtifactType() {
    String repo = RegistryTestClient.newRepo("refs");
    Descriptor subject = registry.pushImage(repo, "s", 1).descriptor();
    byte[] idx = Oci.index(Oci.OCI_INDEX, List.of(), TYPE_B, subject, Map.of("k", "v"));
    Descriptor index = put(repo, idx, Oci.OCI_INDEX, subject);
    JsonNode got = JsonAssert.byDigest(referrers(repo, subject.digest(), null).json().path("manifests"), index.digest());
    assertEquals(TYPE_B, got.path("artifactType").asText(), got::toString);
    assertEquals(Oci.OCI_INDEX, got.path("mediaType").asText(), got::toString);
    assertEquals(index.size(), got.path("size").asLong(), got::toString);
    assertEquals("v", got.path("annotations").path("k").asText(), got::toString);
  }

  @Test
  void referrersAreScopedToTheRepository() {
    String a = RegistryTestClient.newRepo("refs");
    String b = RegistryTestClient.newRepo("refs");
    Image img = registry.pushImage(a, "s", 1);
    registry.uploadBlob(b, img.config());
    for (byte[] l : img.layers()) registry.uploadBlob(b, l);
    registry.pushManifest(b, "s", Oci.OCI_MANIFEST, img.manifest());
    Descriptor inA = pushArtifactTypedReferrer(a, img.descriptor(), TYPE_A, "only-in-a");
    assertEquals(List.of(inA.digest()), JsonAssert.digests(referrers(a, img.digest(), null).json().path("manifests")));
    assertEquals(List.of(), JsonAssert.digests(referrers(b, img.digest(), null).json().path("manifests")),
        "a referrer pushed to one repository is not listed in another");
  }

  @Test
  void referrersOfUnknownDigestIsAnEmptyIndexNot404() {
    String repo = RegistryTestClient.newRepo("refs");
    registry.pushImage(repo, "s", 1);
    Resp r = referrers(repo, "sha256:" + "12".repeat(32), null);
    assertEquals(0, r.json().path("manifests").size(), r::toString);
  }

  @Test
  void referrerMayBePushedBeforeItsSubject() {
    String repo = RegistryTestClient.newRepo("refs");
    registry.pushImage(repo, "unrelated", 1);
    Image later = registry.pushImage(RegistryTestClient.newRepo("elsewhere"), "x", 1);
    Descriptor ref = pushArtifactTypedReferrer(repo, later.descriptor(), TYPE_B, "early");
    List<JsonNode> list = allReferrers(repo, later.digest(), null);
    assertEquals(List.of(ref.digest()), JsonAssert.digests(Oci.JSON.valueToTree(list)));
  }

  @Test
  void referrersWithInvalidDigestIs400() {
    String repo = RegistryTestClient.newRepo("refs");
    registry.pushImage(repo, "s", 1);
    Resp r = registry.get("/v2/" + repo + "/referrers/sha256:nothex");
    assertEquals(400, r.status(), r::toString);
  }

  @Test
  void manyReferrersAreAllListed() {
    String repo = RegistryTestClient.newRepo("refs");
    Descriptor subject = registry.pushImage(repo, "s", 1).descriptor();
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      byte[] m = Oci.ociManifest().artifactType(TYPE_A)
          .config(new Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null))
          .subject(subject).annotation("n", String.valueOf(i)).build();
      expected.add(put(repo, m, Oci.OCI_MANIFEST, subject).digest());
    }
    List<String> got = JsonAssert.digests(Oci.JSON.valueToTree(allReferrers(repo, subject.digest(), null)));
    assertEquals(expected.size(), got.size(), "no descriptor twice across pages");
    assertEquals(expected, new HashSet<>(got));
  }
}
