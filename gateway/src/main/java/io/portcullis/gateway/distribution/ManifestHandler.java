package io.portcullis.gateway.distribution;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.Caller;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.gate.PolicyInput;
import io.portcullis.gateway.http.DigestParameter;
import io.portcullis.gateway.search.ComponentIndexer;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RegistryUrls;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.gateway.http.RequestBodies;
import io.portcullis.gateway.http.Tags;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Descriptor;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.InvalidManifestException;
import io.portcullis.storage.model.Manifest;
import io.portcullis.storage.model.ManifestParser;
import io.portcullis.storage.model.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code /v2/<name>/manifests/<reference>}: GET, HEAD, PUT and DELETE by tag or digest. */
public final class ManifestHandler {
  /** The largest manifest accepted, as the distribution-spec suggests. */
  public static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private final Storage storage;
  private final AdmissionController gate;
  private final ComponentIndexer components;

  public ManifestHandler(Storage storage, AdmissionController gate, ComponentIndexer components) {
    this.storage = storage;
    this.gate = gate;
    this.components = components;
  }

  /** GET and HEAD: the exact bytes that were pushed, with their media type and digest. */
  public void get(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    StoredManifest manifest = resolve(repository, ctx.pathParam("reference"));
    // Clients such as containers/image send one Accept line per media type: read them all.
    String accept = String.join(",", java.util.Collections.list(ctx.req().getHeaders("Accept")));
    if (!acceptable(accept, manifest.mediaType())) {
      throw RegistryException.of(ErrorCode.MANIFEST_UNKNOWN,
          "the manifest is a " + manifest.mediaType() + ", which the request's Accept header does not allow",
          Map.of("mediaType", manifest.mediaType())).withStatus(404);
    }
    // A HEAD by digest reveals only what the caller already knows (the digest) plus type and size, and
    // signing tools need it to sign what the gate does not admit yet; everything else goes through the gate.
    boolean headByDigest = ctx.method() == HandlerType.HEAD && Digest.looksLikeDigest(ctx.pathParam("reference"));
    if (!headByDigest) {
      GateResponses.enforce(ctx, gate.pull(AdmissionController.Asker.of(ctx), repository, ctx.pathParam("reference"), manifest));
    }
    ctx.contentType(manifest.mediaType());
    ctx.header("Docker-Content-Digest", manifest.digest().toString());
    ctx.header("Content-Length", Long.toString(manifest.size()));
    if (ctx.method() == HandlerType.HEAD) return;
    byte[] body;
    try (var in = storage.blobs().open(manifest.digest(), 0)) {
      body = in.readNBytes((int) Math.min(manifest.size(), MAX_MANIFEST_BYTES));
    }
    ctx.result(body);
  }

  /** PUT: validates, stores and tags a manifest; the references it names must already be here. */
  public void put(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    String reference = ctx.pathParam("reference");
    byte[] body = RequestBodies.readAtMost(ctx, MAX_MANIFEST_BYTES, ErrorCode.MANIFEST_INVALID, "the manifest");
    Manifest manifest;
    try {
      manifest = ManifestParser.parse(body, ctx.header("Content-Type"));
    } catch (InvalidManifestException e) {
      throw RegistryException.of(ErrorCode.MANIFEST_INVALID, e.getMessage());
    }
    Digest digest;
    Set<String> tags = new LinkedHashSet<>();
    if (Digest.looksLikeDigest(reference)) {
      Digest asked = DigestParameter.parse(reference);
      digest = Digest.compute(asked.algorithmKind(), body);
      if (!digest.equals(asked)) {
        throw RegistryException.of(ErrorCode.DIGEST_INVALID, "the manifest's digest is " + digest + ", not " + asked,
            Map.of("expected", asked.toString(), "actual", digest.toString()));
      }
    } else {
      digest = Digest.sha256(body);
      tags.add(Tags.validate(reference));
    }
    for (String extra : ctx.queryParams("tag")) tags.add(Tags.validate(extra));
    // Where each tag points now: moving one needs update rather than create, and the gate sees it too.
    List<PolicyInput.TagState> tagStates = new ArrayList<>();
    Caller caller = Caller.of(ctx);
    for (String tag : tags) {
      Optional<Digest> current = storage.metadata().resolveTag(repository, tag);
      boolean moves = current.isPresent() && !current.get().equals(digest);
      caller.require(repository, moves ? Action.UPDATE : Action.CREATE);
      tagStates.add(new PolicyInput.TagState(tag, current.map(Digest::toString).orElse(null)));
    }
    if (tags.isEmpty()) caller.require(repository, Action.CREATE);
    List<Digest> references = checkReferences(repository, manifest);
    // The gate decides before anything is stored: a denied push leaves nothing behind.
    GateResponses.enforce(ctx, gate.push(AdmissionController.Asker.of(ctx), repository, reference, digest, body, tagStates));
    storeBytes(digest, body);
    storage.metadata().putManifest(new StoredManifest(repository, digest, manifest.mediaType(), body.length,
        manifest.effectiveArtifactType(), manifest.subject() == null ? null : manifest.subject().digest(),
        manifest.annotations(), references), tags);
    components.manifestPushed(repository, digest, manifest, List.copyOf(tags));
    ctx.status(201);
    ctx.header("Location", RegistryUrls.manifest(repository, digest));
    ctx.header("Docker-Content-Digest", digest.toString());
    if (manifest.subject() != null) ctx.header("OCI-Subject", manifest.subject().digest().toString());
    for (String tag : ctx.queryParams("tag")) ctx.res().addHeader("OCI-Tag", tag);
    ctx.header("Content-Length", "0");
  }

  /** DELETE: by tag removes the tag only; by digest removes the manifest and its tags. */
  public void delete(Context ctx) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    String reference = ctx.pathParam("reference");
    StoredManifest manifest = resolve(repository, reference);
    boolean byDigest = Digest.looksLikeDigest(reference);
    List<PolicyInput.TagState> tags = new ArrayList<>();
    for (String tag : byDigest ? storage.metadata().tagsOf(repository, manifest.digest()) : List.of(reference)) {
      tags.add(new PolicyInput.TagState(tag, manifest.digest().toString()));
    }
    GateResponses.enforce(ctx, gate.delete(AdmissionController.Asker.of(ctx), repository, reference, manifest, tags));
    boolean deleted = byDigest
        ? storage.metadata().deleteManifest(repository, manifest.digest())
        : storage.metadata().deleteTag(repository, reference);
    if (!deleted) throw unknown(repository, reference);
    ctx.status(202);
    ctx.header("Content-Length", "0");
  }

  /**
   * Every blob and child manifest the manifest names must be in the repository already. Each distinct
   * digest is looked up once: a 4 MiB manifest can name the same layer twenty thousand times.
   */
  private List<Digest> checkReferences(String repository, Manifest manifest) {
    List<Descriptor> missing = new ArrayList<>();
    Set<Digest> references = new LinkedHashSet<>();
    List<Descriptor> blobs = new ArrayList<>();
    if (manifest.config() != null) blobs.add(manifest.config());
    blobs.addAll(manifest.layers());
    for (Descriptor d : blobs) {
      if (MediaTypes.FOREIGN_LAYERS.contains(d.mediaType())) continue;
      if (!references.add(d.digest())) continue;
      if (storage.metadata().linkedBlobSize(repository, d.digest()).isEmpty()) missing.add(d);
    }
    for (Descriptor d : manifest.manifests()) {
      if (!references.add(d.digest())) continue;
      boolean present = MediaTypes.isManifest(d.mediaType())
          ? storage.metadata().manifest(repository, d.digest()).isPresent()
          : storage.metadata().linkedBlobSize(repository, d.digest()).isPresent();
      if (!present) missing.add(d);
    }
    if (!missing.isEmpty()) {
      Descriptor first = missing.get(0);
      throw RegistryException.of(ErrorCode.MANIFEST_BLOB_UNKNOWN,
          "the manifest references " + missing.size() + " blob(s) or manifest(s) not in repository " + repository
              + ", e.g. " + first.digest() + " (" + first.mediaType() + "); push them first",
          Map.of("digest", first.digest().toString()));
    }
    return List.copyOf(references);
  }

  private void storeBytes(Digest digest, byte[] body) throws IOException {
    if (storage.blobs().size(digest).isPresent()) return;
    String uploadId = UUID.randomUUID().toString();
    storage.blobs().createUpload(uploadId);
    try {
      storage.blobs().appendToUpload(uploadId, new ByteArrayInputStream(body), 0, -1);
      storage.blobs().commitUpload(uploadId, digest);
    } finally {
      storage.blobs().deleteUpload(uploadId);
    }
  }

  /** The manifest a tag or digest names in the repository, or 404. */
  StoredManifest resolve(String repository, String reference) {
    Optional<Digest> digest = Digest.looksLikeDigest(reference)
        ? Optional.of(DigestParameter.parse(reference))
        : storage.metadata().resolveTag(repository, Tags.validate(reference));
    return digest.flatMap(d -> storage.metadata().manifest(repository, d))
        .orElseThrow(() -> unknown(repository, reference));
  }

  /**
   * Whether the client accepts the media type. Only an Accept header that lists manifest media types
   * and none of this one, nor a wildcard, refuses it; clients that send no or generic Accept headers get
   * what was pushed.
   */
  static boolean acceptable(String acceptHeader, String mediaType) {
    if (acceptHeader == null || acceptHeader.isBlank()) return true;
    boolean namesManifestTypes = false;
    for (String part : acceptHeader.split(",")) {
      String type = MediaTypes.essence(part);
      if (type.equals(mediaType) || type.equals("*/*") || type.equals("application/*")) return true;
      if (MediaTypes.isManifest(type)) namesManifestTypes = true;
    }
    return !namesManifestTypes;
  }

  private static RegistryException unknown(String repository, String reference) {
    return RegistryException.of(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository " + repository,
        Map.of("reference", reference));
  }
}
