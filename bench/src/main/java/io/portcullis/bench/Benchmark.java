package io.portcullis.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The workloads, run round after round against both registries in alternating order (Distribution
 * first in odd rounds, Portcullis first in even ones), each target getting the same blobs and the same
 * request sequence. Within a round each workload is cut into slices that alternate between the targets;
 * each target's slices make one {@link Measurement} per round.
 */
final class Benchmark {
  static final String BLOB_REPO = "bench/blobs";
  static final String MANIFEST_REPO = "bench/manifests";
  static final String TAGS_REPO = "bench/tags";
  static final String MIXED_REPO = "bench/mixed";
  static final int TAG_COUNT = 100;
  static final int MIXED_IMAGES = 8;
  static final long MIXED_LAYER = 1L << 20;

  final Plan plan;
  final RegistryClient distribution;
  final RegistryClient portcullis;
  final RegistryClient nginx;
  final Path distributionStorage;
  final Path nginxRoot;
  final RegistryClient gateOff;
  final RegistryClient gateOn;
  /** Signs and attaches SBOMs for the signed gate workload; null when bench/run passed no signing key. */
  final SignedImages signed;

  final List<Measurement> measurements = new ArrayList<>();
  /** Workload id to a sentence saying what it does, in the order they first ran. */
  final Map<String, String> descriptions = new LinkedHashMap<>();
  /** Workload id to why it did not run. */
  final Map<String, String> unavailable = new LinkedHashMap<>();

  private final byte[] config =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes();
  private final String configDigest = GeneratedBlob.digestOf(config);
  private final byte[] layer = new GeneratedBlob(42, 4096).bytes();
  private final String layerDigest = GeneratedBlob.digestOf(layer);
  private final List<GeneratedBlob> mixedLayers = new ArrayList<>();
  private final List<GeneratedBlob> signedLayers = new ArrayList<>();
  /** Uncached gate decisions timed per round (full and quick alike: each one is a PUT and a GET). */
  static final int UNCACHED_DECISIONS = 30;

  Benchmark(Plan plan, RegistryClient distribution, RegistryClient portcullis, RegistryClient nginx,
      Path distributionStorage, Path nginxRoot, RegistryClient gateOff, RegistryClient gateOn, SignedImages signed) {
    this.plan = plan;
    this.distribution = distribution;
    this.portcullis = portcullis;
    this.nginx = nginx;
    this.distributionStorage = distributionStorage;
    this.nginxRoot = nginxRoot;
    this.gateOff = gateOff;
    this.gateOn = gateOn;
    this.signed = signed;
    for (int k = 0; k < MIXED_IMAGES; k++) {
      mixedLayers.add(new GeneratedBlob(5_000_000L + k, MIXED_LAYER));
    }
    for (int k = 0; k < SignedImages.COUNT; k++) {
      signedLayers.add(new GeneratedBlob(6_000_000L + k, MIXED_LAYER));
    }
  }

  /** Repositories, manifests and tags the workloads read, then a short unmeasured warm-up. */
  void prepare(RegistryClient c) {
    c.ping();
    for (String repo : List.of(MANIFEST_REPO, TAGS_REPO, MIXED_REPO)) {
      c.pushBytes(repo, config, configDigest);
      c.pushBytes(repo, layer, layerDigest);
    }
    c.putManifest(MANIFEST_REPO, "latest", manifest(layerDigest, layer.length, "latest"));
    for (int t = 0; t < TAG_COUNT; t++) {
      c.putManifest(TAGS_REPO, String.format("t%03d", t), manifest(layerDigest, layer.length, "tag-" + t));
    }
    for (int k = 0; k < MIXED_IMAGES; k++) {
      GeneratedBlob l = mixedLayers.get(k);
      c.pushBytes(MIXED_REPO, l.bytes(), l.digest());
      c.putManifest(MIXED_REPO, "img-" + k, manifest(l.digest(), l.size, "img-" + k));
    }
    Duration limit = Duration.ofSeconds(15);
    List<LoadRun.Result> warm = List.of(
        LoadRun.run(4, 400, limit, (w, i) -> c.getManifest(MANIFEST_REPO, "latest").length),
        LoadRun.run(4, 400, limit, (w, i) -> {
          c.headManifest(MANIFEST_REPO, "latest");
          return 0;
        }),
        LoadRun.run(4, 100, limit, (w, i) -> {
          c.putManifest(MANIFEST_REPO, "warm-" + (i % 10), manifest(layerDigest, layer.length, "warm-" + i));
          return 0;
        }),
        LoadRun.run(2, 20, limit, (w, i) -> {
          GeneratedBlob b = new GeneratedBlob(9_000_000L + i, 1L << 20);
          c.pushMonolithic(BLOB_REPO, b);
          return c.pullBlob(BLOB_REPO, b.digest(), b.size);
        }));
    for (LoadRun.Result r : warm) {
      if (r.errors() > 0) {
        throw new IllegalStateException(c.name + " failed during warm-up: " + r.firstError());
      }
    }
  }

  /**
   * The signed images of {@code image-pull-gate-signed}, the same content on the gate-off and the gate-on
   * Portcullis: {@value SignedImages#COUNT} images (one 1 MiB layer each) tagged {@code img-K} in
   * {@value SignedImages#REPO}, each with a CycloneDX SBOM referrer and a signature made by
   * {@code portcullis sign}. On the gate-on server an image must be refused before it is signed (the
   * default bundle protects prod/**) and admitted after; otherwise the run stops, since it would not
   * measure what it says.
   */
  void prepareSigned() {
    if (gateOff == null || gateOn == null || signed == null) {
      return;
    }
    for (RegistryClient c : List.of(gateOff, gateOn)) {
      c.pushBytes(SignedImages.REPO, config, configDigest);
      for (int k = 0; k < SignedImages.COUNT; k++) {
        GeneratedBlob l = signedLayers.get(k);
        c.pushBytes(SignedImages.REPO, l.bytes(), l.digest());
        byte[] m = manifest(l.digest(), l.size, "signed-" + k);
        String digest = GeneratedBlob.digestOf(m);
        String tag = "img-" + k;
        c.putManifest(SignedImages.REPO, tag, m);
        signed.attachSbom(c, SignedImages.REPO, digest, m.length, SignedImages.sbom(k));
        if (c == gateOn) {
          RegistryClient.Answer before = c.tryGetManifest(SignedImages.REPO, tag);
          if (before.status() != 403) {
            throw new IllegalStateException(c.name + " answered " + before.status() + " to GET " + SignedImages.REPO + ":" + tag
                + " before it was signed (expected 403 DENIED from the default bundle, which protects prod/**): the gate is not "
                + "enforcing, so the signed gate workload would not measure it. Body: " + before.body());
          }
        }
        signed.sign(c, SignedImages.REPO, digest);
        if (c == gateOn) {
          RegistryClient.Answer after = c.tryGetManifest(SignedImages.REPO, tag);
          if (after.status() != 200) {
            throw new IllegalStateException(c.name + " answered " + after.status() + " to GET " + SignedImages.REPO + ":" + tag
                + " after `portcullis sign` and the SBOM: the trust policy in bench/run's gate-on configuration does not accept "
                + "the benchmark's key, or the signature or SBOM was not attached as expected. Body: " + after.body());
          }
          c.pullBlob(SignedImages.REPO, l.digest(), l.size);
        }
      }
    }
    // Both gate servers are fresh JVMs: run the gate workloads' pulls unmeasured first, so that neither
    // is measured while its JIT compiler is still at work.
    for (RegistryClient c : List.of(gateOff, gateOn)) {
      LoadRun.Result warm = LoadRun.run(16, 4000, Duration.ofSeconds(30), (w, i) -> {
        int k = (int) (i % MIXED_IMAGES);
        c.getManifest(MIXED_REPO, "img-" + k);
        long n = c.pullBlob(MIXED_REPO, mixedLayers.get(k).digest(), MIXED_LAYER);
        int s = (int) (i % SignedImages.COUNT);
        c.getManifest(SignedImages.REPO, "img-" + s);
        return n + c.pullBlob(SignedImages.REPO, signedLayers.get(s).digest(), signedLayers.get(s).size);
      });
      if (warm.errors() > 0) {
        throw new IllegalStateException(c.name + " failed while warming up the gate workloads: " + warm.firstError());
      }
    }
    // And the uncached path (verification and evaluation run only when evidence changes): a registry that
    // has been up for a while has compiled it; a fresh JVM runs it interpreted at first.
    String sigTag = firstSignatureTag();
    for (RegistryClient c : List.of(gateOff, gateOn)) {
      byte[] signature = c.getManifest(SignedImages.REPO, sigTag);
      for (int i = 0; i < UNCACHED_WARMUP; i++) {
        c.putManifest(SignedImages.REPO, sigTag, SignedImages.signatureVariant(signature, "warm-up-" + i));
        c.getManifest(SignedImages.REPO, "img-0");
      }
    }
  }

  void runRounds() {
    for (int round = 1; round <= plan.rounds(); round++) {
      List<RegistryClient> order = round % 2 == 1 ? List.of(distribution, portcullis) : List.of(portcullis, distribution);
      System.err.printf("== round %d of %d (%s first)%n", round, plan.rounds(), order.get(0).name);
      blobWorkloads(round, order);
      chunkedWorkload(round, order);
      metadataWorkloads(round, order);
      mixedWorkload(round, order);
      gateWorkload(round);
      signedGateWorkload(round);
      uncachedDecisions(round);
    }
  }

  /** One slice of a workload against one target: which slice, and its share of the requests and time. */
  private interface Slice {
    LoadRun.Result run(RegistryClient c, int slice, int slices);
  }

  /**
   * Runs a workload on every target in {@code slices} interleaved slices (A B, B A, A B, ...), so a burst
   * of load from other processes on the machine hits all targets alike, and merges each target's slices
   * into one measurement for this round.
   */
  private void compare(String workload, String unit, int round, List<RegistryClient> targets, int slices, Slice slice) {
    Map<RegistryClient, List<LoadRun.Result>> results = new LinkedHashMap<>();
    Map<RegistryClient, Long> ticks = new LinkedHashMap<>();
    for (RegistryClient c : targets) {
      results.put(c, new ArrayList<>());
      ticks.put(c, 0L);
    }
    for (int k = 0; k < slices; k++) {
      List<RegistryClient> sliceOrder = new ArrayList<>(targets);
      if (k % 2 == 1) {
        java.util.Collections.reverse(sliceOrder);
      }
      for (RegistryClient c : sliceOrder) {
        long before = serverTicks(c);
        results.get(c).add(slice.run(c, k, slices));
        long after = serverTicks(c);
        ticks.put(c, before < 0 || after < 0 || ticks.get(c) < 0 ? -1 : ticks.get(c) + after - before);
      }
    }
    for (RegistryClient c : targets) {
      record(workload, c, round, unit, LoadRun.Result.merge(results.get(c)), ticks.get(c));
    }
  }

  /** Slices for a workload of {@code count} requests: the plan's number, but never more than the requests. */
  private int slices(int count) {
    return Math.max(1, Math.min(plan.slices(), count));
  }

  private static int sliceStart(int count, int slice, int slices) {
    return (int) ((long) count * slice / slices);
  }

  private static int sliceCount(int count, int slice, int slices) {
    return sliceStart(count, slice + 1, slices) - sliceStart(count, slice, slices);
  }

  private void blobWorkloads(int round, List<RegistryClient> order) {
    for (int s = 0; s < plan.blobSizes().size(); s++) {
      Plan.BlobSize size = plan.blobSizes().get(s);
      List<GeneratedBlob> blobs = new ArrayList<>();
      for (int i = 0; i < size.pushes(); i++) {
        GeneratedBlob b = new GeneratedBlob(round * 1_000_000L + s * 10_000L + i, size.bytes());
        b.digest(); // hashed before the clock starts
        blobs.add(b);
      }
      String push = "blob-push-" + size.label();
      descriptions.putIfAbsent(push, "Monolithic push of " + size.label() + " blobs (POST, then one PUT ?digest= streaming the "
          + "body), " + size.pushes() + " per round, one at a time; throughput is payload MiB/s.");
      int pushSlices = slices(size.pushes());
      compare(push, "MiB/s", round, order, pushSlices, (c, k, n) -> {
        int first = sliceStart(size.pushes(), k, n);
        return LoadRun.run(1, sliceCount(size.pushes(), k, n), Plan.BLOB_TIME_LIMIT, (w, i) -> {
          c.pushMonolithic(BLOB_REPO, blobs.get(first + (int) i));
          return size.bytes();
        });
      });
      String pull = "blob-pull-" + size.label();
      descriptions.putIfAbsent(pull, "GET of the " + size.label() + " blobs just pushed, " + size.pulls()
          + " per round, one at a time, every byte read; nginx serves the same blob file (a hard link to "
          + "Distribution's stored file) as the ceiling.");
      List<RegistryClient> pullTargets = new ArrayList<>(order);
      if (nginx != null) {
        for (GeneratedBlob b : blobs) {
          linkForNginx(b.digest());
        }
        pullTargets.add(nginx);
      }
      compare(pull, "MiB/s", round, pullTargets, slices(size.pulls()), (c, k, n) -> {
        int first = sliceStart(size.pulls(), k, n);
        return LoadRun.run(1, sliceCount(size.pulls(), k, n), Plan.BLOB_TIME_LIMIT, (w, i) -> {
          GeneratedBlob b = blobs.get((first + (int) i) % blobs.size());
          if (c == nginx) {
            return nginx.pullUrl(nginx.base.resolve("/" + b.digest().substring("sha256:".length())), size.bytes());
          }
          return c.pullBlob(BLOB_REPO, b.digest(), size.bytes());
        });
      });
    }
  }

  private void chunkedWorkload(int round, List<RegistryClient> order) {
    long bytes = (long) plan.chunkedBlobMiB() << 20;
    int chunk = plan.chunkMiB() << 20;
    int count = plan.chunkedPushes();
    List<GeneratedBlob> blobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GeneratedBlob b = new GeneratedBlob(round * 1_000_000L + 900_000L + i, bytes);
      b.digest();
      blobs.add(b);
    }
    String id = "blob-push-chunked-" + plan.chunkedBlobMiB() + "MiB";
    descriptions.putIfAbsent(id, "Chunked push of " + plan.chunkedBlobMiB() + " MiB blobs: POST, PATCH chunks of "
        + plan.chunkMiB() + " MiB with Content-Range, closing PUT ?digest=; " + count + " per round, one at a time.");
    compare(id, "MiB/s", round, order, slices(count), (c, k, n) -> {
      int first = sliceStart(count, k, n);
      return LoadRun.run(1, sliceCount(count, k, n), Plan.BLOB_TIME_LIMIT, (w, i) -> {
        c.pushChunked(BLOB_REPO, blobs.get(first + (int) i), chunk);
        return bytes;
      });
    });
  }

  /** One request (or image operation) against a target; the index is unique within the round. */
  private interface TargetOperation {
    long run(RegistryClient c, int worker, long index) throws Exception;
  }

  /** A time-bounded concurrent workload, its time and request budget shared out over the slices. */
  private void timed(String workload, String unit, int round, List<RegistryClient> targets, int concurrency,
      Duration time, long maxOps, TargetOperation op) {
    compare(workload, unit, round, targets, plan.slices(),
        (c, k, slices) -> LoadRun.run(concurrency, Math.max(1, maxOps / slices), time.dividedBy(slices),
            (w, i) -> op.run(c, w, k * 1_000_000L + i)));
  }

  private void metadataWorkloads(int round, List<RegistryClient> order) {
    for (int concurrency : plan.concurrencies()) {
      String suffix = "-c" + concurrency;
      String how = " from " + concurrency + " concurrent client" + (concurrency == 1 ? "" : "s")
          + " with no pause, for " + plan.metadataTime().toMillis() / 1000.0 + " s per round (at most "
          + plan.metadataMaxOps() + " requests).";
      descriptions.putIfAbsent("manifest-put" + suffix, "PUT of a new OCI image manifest (unique annotation, "
          + "each client rotating over 10 tags)" + how);
      timed("manifest-put" + suffix, "req/s", round, order, concurrency, plan.metadataTime(), plan.metadataMaxOps(),
          (c, w, i) -> {
            c.putManifest(MANIFEST_REPO, "w" + w + "-" + (i % 10), manifest(layerDigest, layer.length, "put-" + round + "-" + w + "-" + i));
            return 0;
          });
      descriptions.putIfAbsent("manifest-get" + suffix, "GET of one manifest by tag, body read" + how);
      timed("manifest-get" + suffix, "req/s", round, order, concurrency, plan.metadataTime(), plan.metadataMaxOps(),
          (c, w, i) -> c.getManifest(MANIFEST_REPO, "latest").length);
      descriptions.putIfAbsent("manifest-head" + suffix, "HEAD of one manifest by tag" + how);
      timed("manifest-head" + suffix, "req/s", round, order, concurrency, plan.metadataTime(), plan.metadataMaxOps(),
          (c, w, i) -> {
            c.headManifest(MANIFEST_REPO, "latest");
            return 0;
          });
      descriptions.putIfAbsent("tags-list" + suffix, "GET /v2/<name>/tags/list of a repository with "
          + TAG_COUNT + " tags" + how);
      timed("tags-list" + suffix, "req/s", round, order, concurrency, plan.metadataTime(), plan.metadataMaxOps(),
          (c, w, i) -> c.listTags(TAGS_REPO).length);
    }
  }

  /**
   * Like zot's zb mixed runs: each operation is an image pull (75%: GET manifest by tag, GET its 1 MiB
   * layer) or an image push (25%: a new 1 MiB layer, POST+PUT, then PUT a manifest under a new tag).
   * The draw sequence is seeded, so both registries get the same one.
   */
  private void mixedWorkload(int round, List<RegistryClient> order) {
    String id = "mixed-c" + plan.mixedConcurrency();
    descriptions.putIfAbsent(id, "Mixed image traffic like zot's zb: 75% pulls (GET manifest + GET its 1 MiB layer), "
        + "25% pushes (POST+PUT a new 1 MiB layer + PUT manifest), " + plan.mixedConcurrency()
        + " concurrent clients, " + plan.mixedTime().toMillis() / 1000.0 + " s; throughput is image operations/s.");
    timed(id, "ops/s", round, order, plan.mixedConcurrency(), plan.mixedTime(), 100_000, (c, w, i) -> {
      SplittableRandom draw = new SplittableRandom(round * 1_000_000_007L + i);
      if (draw.nextInt(4) == 0) {
        GeneratedBlob fresh = new GeneratedBlob(7_000_000_000L + round * 100_000_000L + i, MIXED_LAYER);
        byte[] data = fresh.bytes();
        String digest = GeneratedBlob.digestOf(data);
        c.pushBytes(MIXED_REPO, data, digest);
        c.putManifest(MIXED_REPO, "push-" + round + "-" + i, manifest(digest, data.length, "push-" + i));
        return data.length;
      }
      int k = draw.nextInt(MIXED_IMAGES);
      GeneratedBlob image = mixedLayers.get(k);
      c.getManifest(MIXED_REPO, "img-" + k);
      return c.pullBlob(MIXED_REPO, image.digest(), image.size);
    });
  }

  /**
   * Image pulls through Portcullis with the admission gate off and on, of unsigned images outside
   * prod/**. Runs only when bench/run started a gated Portcullis.
   */
  private void gateWorkload(int round) {
    String id = "image-pull-gate";
    if (gateOff == null || gateOn == null) {
      unavailable.put(id, "Pulls with the admission gate on (default bundle, signed image with an SBOM) and off: "
          + "not available: this Portcullis build has no gate to switch (bench/run found no `policy.enabled` setting).");
      return;
    }
    descriptions.putIfAbsent(id, "Image pulls (GET manifest by tag + GET its 1 MiB layer) of " + MIXED_IMAGES + " unsigned images in "
        + MIXED_REPO + " from 16 clients, " + plan.mixedTime().toMillis() / 1000.0 + " s, through Portcullis with the gate off "
        + "(`policy.enabled: false`) and on (default bundle, plus a trust policy for the benchmark's key). The images are outside "
        + "prod/**, so the default bundle admits them without asking for a signature or an SBOM (it only adds a warning): what is "
        + "measured is evaluating the decision once per image and answering from the gate's cache after that. "
        + "Ratio = gate on / gate off; the goal is a cost under 10% (ratio at least 0.90).");
    List<RegistryClient> order = round % 2 == 1 ? List.of(gateOff, gateOn) : List.of(gateOn, gateOff);
    timed(id, "ops/s", round, order, 16, plan.mixedTime(), 100_000, (c, w, i) -> {
      int k = (int) (i % MIXED_IMAGES);
      GeneratedBlob image = mixedLayers.get(k);
      c.getManifest(MIXED_REPO, "img-" + k);
      return c.pullBlob(MIXED_REPO, image.digest(), image.size);
    });
  }

  /**
   * The same pulls of the signed images in prod/bench (see {@link #prepareSigned}), which the default
   * bundle admits only with a verified signature, an SBOM and no denied license.
   */
  private void signedGateWorkload(int round) {
    String id = "image-pull-gate-signed";
    if (gateOff == null || gateOn == null) {
      return;
    }
    if (signed == null) {
      unavailable.put(id, "Pulls of signed images with an SBOM through the gate: not measured: bench/run passed no "
          + "--sign-key and --portcullis-cli to sign them with.");
      return;
    }
    descriptions.putIfAbsent(id, "Image pulls (GET manifest by tag + GET its 1 MiB layer) of " + SignedImages.COUNT + " images in "
        + SignedImages.REPO + " from 16 clients, " + plan.mixedTime().toMillis() / 1000.0 + " s, through Portcullis with the gate off "
        + "(`policy.enabled: false`) and on (default bundle, plus a trust policy for the benchmark's key). Each image is signed "
        + "with `portcullis sign` (cosign's tag scheme) and carries a CycloneDX 1.5 SBOM of "
        + String.format(java.util.Locale.ROOT, "%,d", SignedImages.SBOM_COMPONENTS) + " components (MIT and Apache-2.0, with purls) attached as an OCI 1.1 referrer, so the default bundle's rules for "
        + "prod/** apply and pass (verified signature, an SBOM, no denied license, no critical vulnerability). Each image's "
        + "decision is made once (signature verified, SBOM parsed, policy evaluated) and answered from the gate's cache after "
        + "that; `" + Report.UNCACHED + "` times the uncached decision. "
        + "Ratio = gate on / gate off; the goal is a cost under 10% (ratio at least 0.90).");
    List<RegistryClient> order = round % 2 == 1 ? List.of(gateOff, gateOn) : List.of(gateOn, gateOff);
    timed(id, "ops/s", round, order, 16, plan.mixedTime(), 100_000, (c, w, i) -> {
      int k = (int) (i % SignedImages.COUNT);
      GeneratedBlob image = signedLayers.get(k);
      c.getManifest(SignedImages.REPO, "img-" + k);
      return c.pullBlob(SignedImages.REPO, image.digest(), image.size);
    });
  }

  /**
   * Uncached decisions: {@value #UNCACHED_DECISIONS} times per round, push the first signed image's
   * signature manifest again with a new annotation (same valid signature, new digest, untimed), then
   * time one GET of the image's manifest by tag. On the gate-on server that GET finds its evidence
   * changed, so the signature is verified again and the policy evaluated again (the parsed SBOM is
   * reused); the gate-off server does the same PUT and GET, as the baseline. The two alternate.
   */
  /** The cosign signature tag of the first signed image, whose signature the uncached workload pushes again. */
  private String firstSignatureTag() {
    return SignedImages.signatureTag(GeneratedBlob.digestOf(manifest(signedLayers.get(0).digest(), signedLayers.get(0).size, "signed-0")));
  }

  /** Uncached decisions made, unmeasured, before the first round. */
  private static final int UNCACHED_WARMUP = 300;

  private void uncachedDecisions(int round) {
    if (gateOff == null || gateOn == null || signed == null) {
      return;
    }
    String id = Report.UNCACHED;
    descriptions.putIfAbsent(id, "Manifest GET by tag of a signed image in " + SignedImages.REPO + " right after its signature "
        + "manifest was pushed again under its `.sig` tag with a new annotation (the same valid signature in a manifest with "
        + "a new digest; the PUT is not timed): the gate-on Portcullis cannot use a cached decision, so it verifies the "
        + "signature again and evaluates the policy again (the parsed "
        + String.format(java.util.Locale.ROOT, "%,d", SignedImages.SBOM_COMPONENTS) + "-component SBOM is reused). "
        + UNCACHED_DECISIONS + " per round from one client, alternating gate off and gate on; throughput is 1 / mean latency; "
        + "no server CPU per operation (it would include the PUTs). The gate's cost is the difference of the p50 latencies; the target for an uncached decision is "
        + "at most " + Report.num(Report.UNCACHED_TARGET_MILLIS) + " ms.");
    String sigTag = firstSignatureTag();
    List<RegistryClient> targets = List.of(gateOff, gateOn);
    Map<RegistryClient, byte[]> signature = new LinkedHashMap<>();
    Map<RegistryClient, long[]> latencies = new LinkedHashMap<>();
    Map<RegistryClient, int[]> counts = new LinkedHashMap<>();
    Map<RegistryClient, String[]> firstError = new LinkedHashMap<>();
    for (RegistryClient c : targets) {
      signature.put(c, c.getManifest(SignedImages.REPO, sigTag));
      latencies.put(c, new long[UNCACHED_DECISIONS]);
      counts.put(c, new int[2]); // successes, errors
      firstError.put(c, new String[1]);
    }
    for (int i = 0; i < UNCACHED_DECISIONS; i++) {
      List<RegistryClient> order = i % 2 == 0 ? targets : List.of(gateOn, gateOff);
      for (RegistryClient c : order) {
        int[] n = counts.get(c);
        try {
          c.putManifest(SignedImages.REPO, sigTag, SignedImages.signatureVariant(signature.get(c), "round-" + round + "-" + i));
          long t0 = System.nanoTime();
          c.getManifest(SignedImages.REPO, "img-0");
          latencies.get(c)[n[0]++] = System.nanoTime() - t0;
        } catch (RuntimeException e) {
          n[1]++;
          if (firstError.get(c)[0] == null) {
            firstError.get(c)[0] = String.valueOf(e.getMessage());
          }
        }
      }
    }
    for (RegistryClient c : targets) {
      int[] n = counts.get(c);
      long[] timed = java.util.Arrays.copyOf(latencies.get(c), n[0]);
      java.util.Arrays.sort(timed);
      long total = 0;
      for (long t : timed) {
        total += t;
      }
      record(id, c, round, "req/s", new LoadRun.Result(n[0], n[1], firstError.get(c)[0], 0, Math.max(total, 1) / 1e9, timed), -1);
    }
  }

  private void record(String workload, RegistryClient c, int round, String unit, LoadRun.Result r, long serverTicks) {
    Measurement m = Measurement.of(workload, c.name, round, unit, r, serverTicks);
    measurements.add(m);
    System.err.printf("  %-26s %-12s %10.1f %-5s p50 %8.2f ms  p99 %8.2f ms  (%d ops, %d errors%s)%n",
        workload, c.name, m.throughput(), unit, m.p50Millis(), m.p99Millis(), m.ops(), m.errors(),
        m.errors() > 0 ? ": " + m.firstError() : "");
  }

  /** CPU ticks of the server and its children (nginx's workers); -1 if its pid is unknown. */
  private static long serverTicks(RegistryClient c) {
    if (c.pid <= 0) {
      return -1;
    }
    long sum = 0;
    for (long pid : ProcFs.withDescendants(c.pid)) {
      sum += ProcFs.processTicks(pid);
    }
    return sum;
  }

  /** Hard-links Distribution's stored blob file into nginx's root, so nginx serves the very same file. */
  private void linkForNginx(String digest) {
    String hex = digest.substring("sha256:".length());
    Path stored = distributionStorage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    Path served = nginxRoot.resolve(hex);
    try {
      if (!Files.exists(served)) {
        Files.createLink(served, stored);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot link " + stored + " for nginx: " + e, e);
    }
  }

  private byte[] manifest(String layerDigest, long layerSize, String note) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
        + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest
        + "\",\"size\":" + layerSize + "}],"
        + "\"annotations\":{\"io.portcullis.bench\":\"" + note + "\"}}").getBytes();
  }

  static URI uri(String s) {
    return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }
}
