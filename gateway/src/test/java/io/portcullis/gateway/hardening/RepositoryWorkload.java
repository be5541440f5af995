package io.portcullis.gateway.hardening;

import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client of the crash harness, working on a repository of its own: monolithic and chunked blob
 * uploads, manifest PUTs with tags, tag moves, tag, manifest and blob deletes, one at a time, in random
 * order. It keeps a model of what the registry acknowledged, and which operation was in flight when the
 * server died (that one may or may not have happened). {@link #verify} checks a restarted registry against
 * the model; {@link #run} works until the server goes away.
 *
 * <p>Blobs come in three pools: configs and layers are never deleted (manifests reference them), loose
 * blobs are deleted now and then (no manifest references them), so that every blob a stored manifest
 * references must stay readable whatever was deleted.
 */
final class RepositoryWorkload {
  private static final String[] TAGS = {"a", "b", "c", "d"};
  private static final int CHUNK = 64 * 1024;
  /** About how many acknowledged manifests (besides the tagged ones) are fetched whole at each check. */
  private static final int MANIFESTS_FETCHED = 40;
  private static final Pattern RANGE = Pattern.compile("0-(\\d+)");

  private final String repo;
  private final SplittableRandom random;

  // What the registry acknowledged.
  private final Map<String, Long> configs = new LinkedHashMap<>();
  private final Map<String, Long> layers = new LinkedHashMap<>();
  private final Map<String, Long> loose = new LinkedHashMap<>();
  private final Set<String> deletedLoose = new HashSet<>();
  private final Map<String, byte[]> manifests = new LinkedHashMap<>();
  private final Set<String> deletedManifests = new HashSet<>();
  private final Map<String, String> tags = new TreeMap<>();

  /** The operation in flight when the server died, or null. */
  private Op inFlight;
  private int acknowledged;

  RepositoryWorkload(String repo, SplittableRandom random) {
    this.repo = repo;
    this.random = random;
  }

  String repo() { return repo; }

  /** Operations acknowledged so far. */
  int acknowledged() { return acknowledged; }

  /** What was in flight at the last kill, for the test's log. */
  String inFlight() { return inFlight == null ? "nothing" : inFlight.toString(); }

  boolean hadInFlight() { return inFlight != null; }

  // ---------------------------------------------------------------------------------------------
  // Operations

  private enum Pool { CONFIG, LAYER, LOOSE }

  private sealed interface Op permits BlobPush, ManifestPut, TagDelete, ManifestDelete, BlobDelete {}

  /** A blob upload; for a chunked one, how far the registry acknowledged it and how far the client sent. */
  private static final class BlobPush implements Op {
    final Pool pool;
    final byte[] content;
    final String digest;
    final boolean chunked;
    String location;
    long acknowledgedBytes;
    long sentBytes;
    boolean completing;

    BlobPush(Pool pool, byte[] content, boolean chunked) {
      this.pool = pool;
      this.content = content;
      this.digest = Oci.sha256(content);
      this.chunked = chunked;
    }

    @Override
    public String toString() {
      return (chunked ? "chunked" : "monolithic") + " upload of " + pool + " " + digest + " (" + content.length + " bytes"
          + (chunked ? ", " + acknowledgedBytes + " acknowledged, " + sentBytes + " sent" + (completing ? ", completing" : "") : "") + ")";
    }
  }

  private record ManifestPut(String digest, byte[] body, String tag, boolean isNew) implements Op {
    @Override
    public String toString() { return (isNew ? "manifest PUT " : "tag move to ") + digest + " as " + tag; }
  }

  private record TagDelete(String tag) implements Op {}

  private record ManifestDelete(String digest) implements Op {}

  private record BlobDelete(String digest) implements Op {}

  /** An answer the registry must not give while it is up. */
  static final class UnexpectedAnswer extends RuntimeException {
    UnexpectedAnswer(String message) { super(message); }
  }

  /** Works until a request fails because the server went away (an {@link UncheckedIOException}). */
  void run(RegistryTestClient http) {
    while (true) step(http);
  }

  private void step(RegistryTestClient http) {
    int roll = random.nextInt(100);
    if (configs.isEmpty() || layers.size() < 2 || roll < 35) {
      int pool = random.nextInt(10);
      pushBlob(http, pool < 2 ? Pool.CONFIG : pool < 7 ? Pool.LAYER : Pool.LOOSE, random.nextBoolean());
    } else if (roll < 60) {
      putNewManifest(http);
    } else if (roll < 72 && !manifests.isEmpty()) {
      List<String> digests = new ArrayList<>(manifests.keySet());
      String digest = digests.get(random.nextInt(digests.size()));
      putManifest(http, new ManifestPut(digest, manifests.get(digest), TAGS[random.nextInt(TAGS.length)], false));
    } else if (roll < 80 && !tags.isEmpty()) {
      List<String> names = new ArrayList<>(tags.keySet());
      deleteTag(http, names.get(random.nextInt(names.size())));
    } else if (roll < 88 && !manifests.isEmpty()) {
      List<String> digests = new ArrayList<>(manifests.keySet());
      deleteManifest(http, digests.get(random.nextInt(digests.size())));
    } else if (!loose.isEmpty()) {
      List<String> digests = new ArrayList<>(loose.keySet());
      deleteBlob(http, digests.get(random.nextInt(digests.size())));
    }
  }

  private byte[] content(Pool pool) {
    if (pool == Pool.CONFIG) {
      ObjectNode c = Oci.JSON.createObjectNode();
      c.put("architecture", "amd64");
      c.put("os", "linux");
      c.putObject("rootfs").put("type", "layers").putArray("diff_ids");
      c.putObject("config").putArray("Env").add("NONCE=" + random.nextLong());
      return c.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    byte[] b = new byte[1024 + random.nextInt(256 * 1024)];
    for (int i = 0; i < b.length; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < b.length; j++) b[i + j] = (byte) (v >>> (8 * j));
    }
    return b;
  }

  private void pushBlob(RegistryTestClient http, Pool pool, boolean chunked) {
    BlobPush op = new BlobPush(pool, content(pool), chunked);
    inFlight = op;
    if (chunked) {
      Resp post = expect(http.post("/v2/" + repo + "/blobs/uploads/", null), 202);
      op.location = post.headerOrNull("Location");
      sendChunks(http, op, 0);
      completeUpload(http, op);
    } else {
      expect(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + op.digest, op.content, "Content-Type", "application/octet-stream"), 201);
    }
    blobStored(op);
  }

  /** PATCHes the content from {@code from} in chunks, tracking what was sent and what was acknowledged. */
  private void sendChunks(RegistryTestClient http, BlobPush op, long from) {
    long offset = from;
    while (offset < op.content.length) {
      int length = (int) Math.min(CHUNK, op.content.length - offset);
      op.sentBytes = offset + length;
      Resp patch = expect(http.patch(op.location, java.util.Arrays.copyOfRange(op.content, (int) offset, (int) offset + length),
          "Content-Type", "application/octet-stream", "Content-Range", offset + "-" + (offset + length - 1)), 202);
      offset += length;
      String range = "0-" + (offset - 1);
      if (!range.equals(patch.headerOrNull("Range"))) throw new UnexpectedAnswer("upload Range should be " + range + ": " + patch);
      op.acknowledgedBytes = offset;
      op.location = patch.headerOrNull("Location");
    }
  }

  private void completeUpload(RegistryTestClient http, BlobPush op) {
    op.completing = true;
    expect(http.put(withQuery(op.location, "digest", op.digest), null), 201);
  }

  private void blobStored(BlobPush op) {
    (op.pool == Pool.CONFIG ? configs : op.pool == Pool.LAYER ? layers : loose).put(op.digest, (long) op.content.length);
    deletedLoose.remove(op.digest);
    inFlight = null;
    acknowledged++;
  }

  private void putNewManifest(RegistryTestClient http) {
    List<String> configDigests = new ArrayList<>(configs.keySet());
    List<String> layerDigests = new ArrayList<>(layers.keySet());
    String config = configDigests.get(random.nextInt(configDigests.size()));
    Oci.ManifestBuilder m = Oci.ociManifest().config(new Descriptor(Oci.OCI_CONFIG, config, configs.get(config), null, null, null));
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      String layer = layerDigests.get(random.nextInt(layerDigests.size()));
      m.layer(new Descriptor(Oci.OCI_LAYER, layer, layers.get(layer), null, null, null));
    }
    m.annotation("nonce", Long.toHexString(random.nextLong()));
    byte[] body = m.build();
    putManifest(http, new ManifestPut(Oci.sha256(body), body, TAGS[random.nextInt(TAGS.length)], true));
  }

  private void putManifest(RegistryTestClient http, ManifestPut op) {
    inFlight = op;
    Resp r = expect(http.putManifest(repo, op.tag, Oci.OCI_MANIFEST, op.body), 201);
    if (!op.digest.equals(r.headerOrNull("Docker-Content-Digest"))) throw new UnexpectedAnswer("manifest digest: " + r);
    manifests.put(op.digest, op.body);
    tags.put(op.tag, op.digest);
    inFlight = null;
    acknowledged++;
  }

  private void deleteTag(RegistryTestClient http, String tag) {
    inFlight = new TagDelete(tag);
    expect(http.delete("/v2/" + repo + "/manifests/" + tag), 202);
    tags.remove(tag);
    inFlight = null;
    acknowledged++;
  }

  private void deleteManifest(RegistryTestClient http, String digest) {
    inFlight = new ManifestDelete(digest);
    expect(http.delete("/v2/" + repo + "/manifests/" + digest), 202);
    manifestGone(digest);
    inFlight = null;
    acknowledged++;
  }

  private void manifestGone(String digest) {
    manifests.remove(digest);
    deletedManifests.add(digest);
    tags.values().removeIf(digest::equals);
  }

  private void deleteBlob(RegistryTestClient http, String digest) {
    inFlight = new BlobDelete(digest);
    expect(http.delete("/v2/" + repo + "/blobs/" + digest), 202);
    loose.remove(digest);
    deletedLoose.add(digest);
    inFlight = null;
    acknowledged++;
  }

  private static Resp expect(Resp r, int status) {
    if (r.status() != status) throw new UnexpectedAnswer("expected " + status + ": " + r);
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // Verification after a restart

  /**
   * Checks the restarted registry against the model, settles the operation that was in flight (resuming
   * an interrupted upload or uploading its content again), and brings the model up to date with it.
   */
  void verify(RegistryTestClient http, Set<String> blobsChecked) {
    // Tags: each is where the model says, or where the operation in flight would have put it.
    Set<String> serverTags = new TreeSet<>();
    Resp list = http.get("/v2/" + repo + "/tags/list?n=1000");
    if (list.status() == 200) {
      list.json().path("tags").forEach(t -> serverTags.add(t.asText()));
    } else {
      check(list.status() == 404 && list.errorCodes().contains("NAME_UNKNOWN") && tags.isEmpty(), () -> "tags list: " + list);
    }
    Set<String> names = new TreeSet<>(tags.keySet());
    names.addAll(serverTags);
    Map<String, String> serverTagValues = new TreeMap<>();
    for (String tag : names) {
      String now = null;
      if (serverTags.contains(tag)) {
        now = manifestIsWhole(http, tag, blobsChecked);
        serverTagValues.put(tag, now);
      }
      String expected = tags.get(tag);
      String actual = now;
      check(Objects.equals(actual, expected) || inFlightMayHaveSet(tag, actual),
          () -> "tag " + repo + ":" + tag + " points to " + actual + ", acknowledged " + expected + "; in flight: " + inFlight());
    }
    // Every acknowledged manifest is still there; a sample of them (all, while there are few) is fetched
    // and checked whole, with everything it references, so that long runs stay quick.
    for (Map.Entry<String, byte[]> m : manifests.entrySet()) {
      String digest = m.getKey();
      if (inFlight instanceof ManifestDelete d && d.digest().equals(digest)) continue;
      Resp head = http.head("/v2/" + repo + "/manifests/" + digest, "Accept", Oci.OCI_MANIFEST);
      check(head.status() == 200 && String.valueOf(m.getValue().length).equals(head.headerOrNull("Content-Length")),
          () -> "acknowledged manifest: " + head);
      if (random.nextInt(manifests.size()) >= MANIFESTS_FETCHED) continue;
      Resp r = http.get("/v2/" + repo + "/manifests/" + digest, "Accept", Oci.OCI_MANIFEST);
      check(r.status() == 200 && java.util.Arrays.equals(m.getValue(), r.body()), () -> "acknowledged manifest: " + r);
      manifestIsWhole(http, digest, blobsChecked);
    }
    for (String digest : deletedManifests) {
      Resp r = http.head("/v2/" + repo + "/manifests/" + digest, "Accept", Oci.OCI_MANIFEST);
      check(r.status() == 404, () -> "a deleted manifest came back: " + r);
    }
    // Blobs: the acknowledged ones are there with their size, the deleted ones are not.
    for (Map<String, Long> pool : List.of(configs, layers, loose)) {
      for (Map.Entry<String, Long> b : pool.entrySet()) {
        if (inFlight instanceof BlobDelete d && d.digest().equals(b.getKey())) continue;
        Resp r = http.head("/v2/" + repo + "/blobs/" + b.getKey());
        check(r.status() == 200 && String.valueOf(b.getValue()).equals(r.headerOrNull("Content-Length")), () -> "acknowledged blob: " + r);
      }
    }
    for (String digest : deletedLoose) {
      Resp r = http.head("/v2/" + repo + "/blobs/" + digest);
      check(r.status() == 404, () -> "a deleted blob came back: " + r);
    }
    settleInFlight(http, serverTagValues);
  }

  /** Whether the operation in flight, had it happened, would have left {@code tag} at {@code value}. */
  private boolean inFlightMayHaveSet(String tag, String value) {
    if (inFlight instanceof ManifestPut p) return p.tag().equals(tag) && p.digest().equals(value);
    if (inFlight instanceof TagDelete d) return d.tag().equals(tag) && value == null;
    if (inFlight instanceof ManifestDelete d) return d.digest().equals(tags.get(tag)) && value == null;
    return false;
  }

  /**
   * GETs a manifest by tag or digest and checks that it is whole: its bytes hash to the digest the registry
   * names, and every blob it references is readable in the repository with the right size and bytes.
   */
  private String manifestIsWhole(RegistryTestClient http, String reference, Set<String> blobsChecked) {
    Resp r = http.get("/v2/" + repo + "/manifests/" + reference, "Accept", Oci.OCI_MANIFEST);
    check(r.status() == 200, () -> "manifest " + repo + ":" + reference + ": " + r);
    String digest = Oci.sha256(r.body());
    check(digest.equals(r.headerOrNull("Docker-Content-Digest")), () -> "a manifest whose bytes do not match its digest: " + r);
    JsonNode m = r.json();
    List<JsonNode> descriptors = new ArrayList<>();
    descriptors.add(m.path("config"));
    m.path("layers").forEach(descriptors::add);
    for (JsonNode d : descriptors) {
      String blob = d.path("digest").asText();
      if (!blobsChecked.add(repo + "@" + blob)) continue;
      Resp b = http.get("/v2/" + repo + "/blobs/" + blob);
      check(b.status() == 200, () -> "manifest " + digest + " references a blob the registry does not serve: " + b);
      check(b.body().length == d.path("size").asLong() && Oci.sha256(b.body()).equals(blob),
          () -> "a blob served with bytes that do not match its digest: " + blob + " (" + b.body().length + " bytes)");
    }
    return digest;
  }

  /** Finds out what became of the operation in flight, finishes it if it is an upload, and updates the model. */
  private void settleInFlight(RegistryTestClient http, Map<String, String> serverTagValues) {
    Op op = inFlight;
    if (op == null) return;
    if (op instanceof BlobPush p) {
      if (p.chunked && p.location != null) {
        resumeOrRestart(http, p);
      } else {
        expect(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + p.digest, p.content, "Content-Type", "application/octet-stream"), 201);
      }
      Resp b = http.get("/v2/" + repo + "/blobs/" + p.digest);
      check(b.status() == 200 && java.util.Arrays.equals(p.content, b.body()), () -> "the blob of a finished upload: " + b);
      blobStored(p);
      return;
    }
    if (op instanceof ManifestPut p) {
      Resp r = http.head("/v2/" + repo + "/manifests/" + p.digest(), "Accept", Oci.OCI_MANIFEST);
      check(r.status() == 200 || r.status() == 404, r::toString);
      boolean stored = r.status() == 200;
      boolean tagged = p.digest().equals(serverTagValues.get(p.tag()));
      // One transaction stores the manifest and moves the tag: a crash leaves both or neither.
      if (p.isNew()) check(stored == tagged, () -> "manifest stored " + stored + " but tag moved " + tagged + ": " + p);
      if (tagged) {
        manifests.put(p.digest(), p.body());
        tags.put(p.tag(), p.digest());
      }
    } else if (op instanceof TagDelete d) {
      if (!serverTagValues.containsKey(d.tag())) tags.remove(d.tag());
    } else if (op instanceof ManifestDelete d) {
      Resp r = http.head("/v2/" + repo + "/manifests/" + d.digest(), "Accept", Oci.OCI_MANIFEST);
      check(r.status() == 200 || r.status() == 404, r::toString);
      if (r.status() == 404) {
        manifestGone(d.digest());
      } else {
        for (Map.Entry<String, String> t : tags.entrySet()) {
          check(d.digest().equals(serverTagValues.get(t.getKey())) || !d.digest().equals(t.getValue()),
              () -> "a manifest survived its delete but lost tag " + t.getKey());
        }
      }
    } else if (op instanceof BlobDelete d) {
      Resp r = http.head("/v2/" + repo + "/blobs/" + d.digest());
      check(r.status() == 200 || r.status() == 404, r::toString);
      if (r.status() == 404) {
        loose.remove(d.digest());
        deletedLoose.add(d.digest());
      }
    }
    inFlight = null;
  }

  /**
   * An upload cut by the crash is either still open, holding at least what the registry acknowledged
   * (and at most what was sent), and then finishes from where the registry says it is; or, only when the
   * crash hit its completion, unknown, and then a new upload of the same content succeeds.
   */
  private void resumeOrRestart(RegistryTestClient http, BlobPush p) {
    Resp status = http.get(p.location);
    if (status.status() == 204) {
      Matcher m = RANGE.matcher(String.valueOf(status.headerOrNull("Range")));
      check(m.matches(), () -> "upload status Range: " + status);
      long have = status.headerOrNull("Range").equals("0-0") && p.acknowledgedBytes == 0 ? 0 : Long.parseLong(m.group(1)) + 1;
      check(have >= p.acknowledgedBytes && have <= Math.max(p.sentBytes, p.acknowledgedBytes),
          () -> "an interrupted upload holds " + have + " bytes; acknowledged " + p.acknowledgedBytes + ", sent " + p.sentBytes);
      p.location = status.headerOrNull("Location");
      sendChunks(http, p, have);
      completeUpload(http, p);
    } else {
      check(status.status() == 404 && status.errorCodes().contains("BLOB_UPLOAD_UNKNOWN"), () -> "upload status: " + status);
      check(p.completing, () -> "an upload the registry had acknowledged " + p.acknowledgedBytes + " bytes of was lost: " + p);
      expect(http.post("/v2/" + repo + "/blobs/uploads/?digest=" + p.digest, p.content, "Content-Type", "application/octet-stream"), 201);
    }
  }

  private void check(boolean ok, Supplier<String> message) {
    if (!ok) throw new AssertionError(repo + ": " + message.get());
  }
}
