package io.portcullis.storage.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.storage.model.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest {
  @TempDir Path dir;
  private SqliteMetadataStore store;

  @BeforeEach
  void open() { store = new SqliteMetadataStore(dir.resolve("metadata.db")); }

  @AfterEach
  void close() { store.close(); }

  private static Digest d(String s) { return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)); }

  private static StoredManifest manifest(String repo, String name, Digest subject, List<Digest> refs) {
    return new StoredManifest(repo, d(name), "application/vnd.oci.image.manifest.v1+json", 100, "application/example",
        subject, Map.of("k", "v"), refs);
  }

  @Test
  void tagsMoveAndListInLexicalOrderWithPaging() {
    store.putManifest(manifest("r", "m1", null, List.of()), List.of("b", "a", "c"));
    store.putManifest(manifest("r", "m2", null, List.of()), List.of("c"));
    assertEquals(List.of("a", "b", "c"), store.tags("r", null, 10));
    assertEquals(List.of("b"), store.tags("r", "a", 1));
    assertEquals(d("m2"), store.resolveTag("r", "c").orElseThrow());
    assertEquals(List.of("a", "b"), store.tagsOf("r", d("m1")));
  }

  @Test
  void pushingTheSameManifestAgainKeepsItsEarlierTags() {
    store.putManifest(manifest("r", "m1", null, List.of()), List.of("first"));
    store.putManifest(manifest("r", "m1", null, List.of()), List.of("second"));
    assertEquals(List.of("first", "second"), store.tags("r", null, 10));
  }

  @Test
  void deletingAManifestRemovesItsTagsButDeletingATagKeepsTheManifest() {
    store.putManifest(manifest("r", "m1", null, List.of()), List.of("t1", "t2"));
    assertTrue(store.deleteTag("r", "t1"));
    assertFalse(store.deleteTag("r", "t1"));
    assertTrue(store.manifest("r", d("m1")).isPresent());
    assertTrue(store.deleteManifest("r", d("m1")));
    assertTrue(store.resolveTag("r", "t2").isEmpty());
    assertTrue(store.manifest("r", d("m1")).isEmpty());
  }

  @Test
  void referrersAreIndexedBySubjectPerRepository() {
    Digest subject = d("image");
    store.putManifest(manifest("r", "sig", subject, List.of()), List.of());
    store.putManifest(manifest("r", "sbom", subject, List.of()), List.of());
    store.putManifest(manifest("other", "elsewhere", subject, List.of()), List.of());
    List<StoredManifest> refs = store.referrers("r", subject);
    assertEquals(2, refs.size());
    assertEquals("v", refs.get(0).annotations().get("k"));
    assertTrue(store.referrers("r", d("nothing")).isEmpty());
  }

  @Test
  void manifestReferencesAndBlobLinksAreRecorded() {
    store.linkBlob("r", d("layer"), 5);
    store.putManifest(manifest("r", "m", null, List.of(d("layer"))), List.of());
    assertEquals(List.of(d("layer")), store.manifest("r", d("m")).orElseThrow().references());
    assertEquals(5L, store.linkedBlobSize("r", d("layer")).orElseThrow());
    assertEquals(List.of("r"), store.repositoriesWithBlob(d("layer")));
    assertTrue(store.linkedBlobSize("r", d("m")).isPresent(), "a manifest's own bytes are readable as a blob");
    assertTrue(store.unlinkBlob("r", d("layer")));
    assertTrue(store.linkedBlobSize("r", d("layer")).isEmpty());
  }

  @Test
  void componentSearchFindsSubjectsByPurlNameAndLicenseAndForgetsDeletedOnes() {
    store.putManifest(manifest("a/one", "image1", null, List.of()), List.of("v1"));
    store.putManifest(manifest("a/one", "sbom1", d("image1"), List.of()), List.of());
    store.putManifest(manifest("b/two", "image2", null, List.of()), List.of());
    store.putManifest(manifest("b/two", "sbom2", d("image2"), List.of()), List.of());
    IndexedComponent lodash = new IndexedComponent("pkg:npm/lodash", "pkg:npm/lodash@4.17.21", "lodash", "4.17.21", List.of("mit"), "pkg:npm/lodash@4.17.21");
    IndexedComponent old = new IndexedComponent("pkg:npm/lodash", "pkg:npm/lodash@3.0.0", "lodash", "3.0.0", List.of("mit", "apache-2.0"), null);
    store.indexComponents("a/one", d("image1"), d("sbom1"), List.of(lodash));
    store.indexComponents("b/two", d("image2"), d("sbom2"), List.of(old));
    assertEquals(List.of(new ComponentMatch("a/one", d("image1")), new ComponentMatch("b/two", d("image2"))),
        store.searchComponents(ComponentQuery.purlBase("pkg:npm/lodash"), null, 10));
    assertEquals(List.of(new ComponentMatch("b/two", d("image2"))), store.searchComponents(ComponentQuery.purl("pkg:npm/lodash@3.0.0"), null, 10));
    assertEquals(List.of(new ComponentMatch("a/one", d("image1"))), store.searchComponents(ComponentQuery.name("lodash", "4.17.21"), null, 10));
    assertEquals(List.of(new ComponentMatch("b/two", d("image2"))), store.searchComponents(ComponentQuery.license("apache-2.0"), null, 10));
    List<ComponentMatch> first = store.searchComponents(ComponentQuery.name("lodash", null), null, 1);
    assertEquals(List.of(new ComponentMatch("b/two", d("image2"))), store.searchComponents(ComponentQuery.name("lodash", null), first.get(0).cursor(), 10),
        "pages continue after the cursor");
    store.deleteManifest("b/two", d("sbom2"));
    assertEquals(1, store.searchComponents(ComponentQuery.purlBase("pkg:npm/lodash"), null, 10).size(), "a deleted SBOM no longer matches");
    store.indexComponents("a/one", d("image1"), d("sbom1"), List.of());
    assertTrue(store.searchComponents(ComponentQuery.purlBase("pkg:npm/lodash"), null, 10).isEmpty(), "re-indexing replaces");
  }

  @Test
  void catalogAndUploadsSurviveReopening() {
    store.linkBlob("b/two", d("x"), 1);
    store.linkBlob("a/one", d("x"), 1);
    store.putUpload("u-1", "a/one");
    store.close();
    store = new SqliteMetadataStore(dir.resolve("metadata.db"));
    assertEquals(List.of("a/one", "b/two"), store.repositories(null, 10));
    assertEquals(List.of("b/two"), store.repositories("a/one", 10));
    assertEquals("a/one", store.uploadRepository("u-1").orElseThrow());
    store.deleteUpload("u-1");
    assertTrue(store.uploadRepository("u-1").isEmpty());
  }
}
