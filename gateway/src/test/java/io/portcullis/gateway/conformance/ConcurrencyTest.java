package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several clients at once: the same blob, the same tag, interleaved uploads. Each must end consistently. */
class ConcurrencyTest extends RegistryTestBase {
  private static final int CLIENTS = 6;

  /** Runs {@code task} on CLIENTS threads released together and returns their results. */
  private static <T> List<T> together(java.util.function.IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Callable<T> c = task.apply(i);
        futures.add(pool.submit(() -> {
          go.await();
          return c.call();
        }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) out.add(f.get(3, TimeUnit.MINUTES));
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sameBlobPushedByManyClientsAtOnce() throws Exception {
    String repo = RegistryTestClient.newRepo("conc");
    byte[] data = Oci.randomBytes(8 * 1024 * 1024);
    String digest = Oci.sha256(data);
    List<Resp> results = together(i -> () -> {
      Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
      assertEquals(202, post.status(), post::toString);
      int half = data.length / 2;
      Resp p = registry.patch(post.headerOrNull("Location"), Arrays.copyOfRange(data, 0, half),
          "Content-Type", "application/octet-stream", "Content-Range", "0-" + (half - 1));
      assertEquals(202, p.status(), p::toString);
      return registry.put(withQuery(p.headerOrNull("Location"), "digest", digest), Arrays.copyOfRange(data, half, data.length),
          "Content-Type", "application/octet-stream", "Content-Range", half + "-" + (data.length - 1));
    });
    for (Resp r : results) {
      assertEquals(201, r.status(), r::toString);
      assertEquals(digest, r.headerOrNull("Docker-Content-Digest"), r::toString);
    }
    registry.assertBlob(repo, digest, data);
    Resp head = registry.head("/v2/" + repo + "/blobs/" + digest);
    assertEquals(String.valueOf(data.length), head.headerOrNull("Content-Length"), head::toString);
  }

  @Test
  void sameBlobPushedToDifferentRepositoriesAtOnce() throws Exception {
    byte[] data = Oci.randomBytes(2 * 1024 * 1024);
    String digest = Oci.sha256(data);
    List<String> repos = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) repos.add(RegistryTestClient.newRepo("conc"));
    together(i -> () -> registry.uploadBlob(repos.get(i), data));
    for (String repo : repos) registry.assertBlob(repo, digest, data);
  }

  @Test
  void sameTagPushedByManyClientsAtOnce() throws Exception {
    String repo = RegistryTestClient.newRepo("conc");
    Descriptor cfg = registry.uploadBlob(repo, Oci.OCI_CONFIG, Oci.config("amd64"));
    List<byte[]> manifests = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) manifests.add(Oci.ociManifest().config(cfg).annotation("client", "" + i).build());
    List<Resp> results = together(i -> () -> registry.putManifest(repo, "contended", Oci.OCI_MANIFEST, manifests.get(i)));
    for (Resp r : results) assertEquals(201, r.status(), r::toString);

    Resp tagged = registry.get("/v2/" + repo + "/manifests/contended", "Accept", Oci.OCI_MANIFEST);
    assertEquals(200, tagged.status(), tagged::toString);
    Set<String> candidates = new HashSet<>();
    manifests.forEach(m -> candidates.add(Oci.sha256(m)));
    String winner = Oci.sha256(tagged.body());
    assertTrue(candidates.contains(winner), "the tag points at one of the pushed manifests");
    assertEquals(winner, tagged.headerOrNull("Docker-Content-Digest"), "header and body agree");
    for (byte[] m : manifests) {
      Resp r = registry.get("/v2/" + repo + "/manifests/" + Oci.sha256(m), "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, r.status(), () -> "every pushed manifest stays reachable by digest: " + r);
      assertArrayEquals(m, r.body());
    }
    assertEquals(List.of("contended"), registry.tagsPage("/v2/" + repo + "/tags/list").items());
  }

  @Test
  void sameManifestAndTagPushedAtOnce() throws Exception {
    String repo = RegistryTestClient.newRepo("conc");
    RegistryTestClient.Image img = registry.pushImage(repo, null, 2);
    List<Resp> results = together(i -> () -> registry.putManifest(repo, "same", Oci.OCI_MANIFEST, img.manifest()));
    for (Resp r : results) {
      assertEquals(201, r.status(), r::toString);
      assertEquals(img.digest(), r.headerOrNull("Docker-Content-Digest"), r::toString);
    }
    Resp r = registry.get("/v2/" + repo + "/manifests/same", "Accept", Oci.OCI_MANIFEST);
    assertArrayEquals(img.manifest(), r.body());
  }

  @Test
  void referrersPushedAtOnceAreAllListed() throws Exception {
    String repo = RegistryTestClient.newRepo("conc");
    Descriptor subject = registry.pushImage(repo, "s", 1).descriptor();
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    Descriptor empty = new Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null);
    List<List<String>> pushed = together(i -> () -> {
      List<String> mine = new ArrayList<>();
      for (int j = 0; j < 5; j++) {
        byte[] m = Oci.ociManifest().artifactType("application/x.c" + i).config(empty).subject(subject)
            .annotation("j", "" + j).build();
        Resp r = registry.putManifest(repo, Oci.sha256(m), Oci.OCI_MANIFEST, m);
        assertEquals(201, r.status(), r::toString);
        mine.add(Oci.sha256(m));
      }
      return mine;
    });
    Set<String> expected = new HashSet<>();
    pushed.forEach(expected::addAll);
    Set<String> listed = new HashSet<>();
    Resp r = registry.get("/v2/" + repo + "/referrers/" + subject.digest());
    while (true) {
      assertEquals(200, r.status(), r::toString);
      listed.addAll(JsonAssert.digests(r.json().path("manifests")));
      String next = RegistryTestClient.nextLink(r);
      if (next == null) break;
      r = registry.get(next);
    }
    assertEquals(expected, listed);
  }

  @Test
  void interleavedChunkedUploadsDoNotMix() throws Exception {
    String repo = RegistryTestClient.newRepo("conc");
    List<byte[]> blobs = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) blobs.add(Oci.randomBytes(300_000 + i));
    together(i -> () -> {
      byte[] data = blobs.get(i);
      Resp post = registry.post("/v2/" + repo + "/blobs/uploads/", null);
      String loc = post.headerOrNull("Location");
      for (int off = 0; off < data.length; off += 65_536) {
        int end = Math.min(data.length, off + 65_536);
        Resp p = registry.patch(loc, Arrays.copyOfRange(data, off, end), "Content-Type", "application/octet-stream",
            "Content-Range", off + "-" + (end - 1));
        assertEquals(202, p.status(), p::toString);
        loc = p.headerOrNull("Location");
      }
      Resp put = registry.put(withQuery(loc, "digest", Oci.sha256(data)), null);
      assertEquals(201, put.status(), put::toString);
      return null;
    });
    for (byte[] b : blobs) registry.assertBlob(repo, Oci.sha256(b), b);
  }
}
