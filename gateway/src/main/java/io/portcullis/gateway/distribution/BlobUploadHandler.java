package io.portcullis.gateway.distribution;

import io.javalin.http.Context;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.Caller;
import io.portcullis.gateway.http.ContentRange;
import io.portcullis.gateway.http.DigestParameter;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RegistryUrls;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.storage.Storage;
import io.portcullis.storage.blob.ChunkLengthException;
import io.portcullis.storage.blob.DigestMismatchException;
import io.portcullis.storage.blob.UploadNotFoundException;
import io.portcullis.storage.blob.UploadOffsetException;
import io.portcullis.storage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /v2/<name>/blobs/uploads/}: starting uploads (also monolithic and mounts), chunks, status,
 * completion and cancellation. Bytes stream to the blob store; nothing is held in memory.
 */
public final class BlobUploadHandler {
  private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Storage storage;
  private final Quotas quotas;

  public BlobUploadHandler(Storage storage, Quotas quotas) {
    this.storage = storage;
    this.quotas = quotas;
  }

  /** POST: a mount ({@code ?mount=}), a monolithic upload ({@code ?digest=}) or a new upload session. */
  public void start(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    quotas.checkNewRepository(repository);
    String mount = ctx.queryParam("mount");
    if (mount != null && tryMount(ctx, repository, mount, ctx.queryParam("from"))) return;
    String digestParam = ctx.queryParam("digest");
    if (digestParam != null) {
      Digest digest = DigestParameter.parse(digestParam);
      String uploadId = newUploadId();
      storage.blobs().createUpload(uploadId);
      try (InputStream in = ctx.bodyInputStream()) {
        storage.blobs().appendToUpload(uploadId, in, -1, -1);
        commit(ctx, repository, uploadId, digest);
      } finally {
        storage.blobs().deleteUpload(uploadId);
      }
      return;
    }
    String uploadId = newUploadId();
    storage.blobs().createUpload(uploadId);
    try {
      storage.metadata().putUpload(uploadId, repository);
    } catch (RuntimeException e) {
      storage.blobs().deleteUpload(uploadId); // no session (a full disk): no file left behind either
      throw e;
    }
    ctx.status(202);
    uploadHeaders(ctx, repository, uploadId, 0);
  }

  /** Mounts a blob another repository has; false when it cannot, so that a normal upload starts. */
  private boolean tryMount(Context ctx, String repository, String mountParam, String from) throws IOException {
    Digest digest;
    try {
      digest = Digest.parse(mountParam);
    } catch (IllegalArgumentException e) {
      return false;
    }
    List<String> sources;
    if (from != null && !from.isEmpty()) {
      RepositoryName.validate(from);
      sources = storage.metadata().linkedBlobSize(from, digest).isPresent() ? List.of(from) : List.of();
    } else {
      sources = storage.metadata().repositoriesWithBlob(digest);
    }
    // A mount reads the source: only sources the caller may read count.
    Caller caller = Caller.of(ctx);
    sources = sources.stream().filter(source -> caller.may(source, Action.READ)).toList();
    OptionalLong size = storage.blobs().size(digest);
    if (sources.isEmpty() || size.isEmpty()) return false;
    if (storage.metadata().linkedBlobSize(repository, digest).isEmpty()) quotas.checkRoomFor(repository, size.getAsLong());
    storage.metadata().linkBlob(repository, digest, size.getAsLong());
    created(ctx, repository, digest);
    return true;
  }

  /** PATCH: appends a chunk; a Content-Range must start where the upload ends (else 416). */
  public void patch(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    String uploadId = requireUpload(repository, ctx.pathParam("uuid"));
    long offset = -1;
    long maxBytes = -1;
    String contentRange = ctx.header("Content-Range");
    ContentRange range = ContentRange.parse(contentRange);
    if (range != null) {
      offset = range.first();
      maxBytes = range.length();
      long declared = ctx.req().getContentLengthLong();
      if (declared >= 0 && declared != maxBytes) {
        throw RegistryException.of(ErrorCode.SIZE_INVALID, "Content-Length " + declared + " does not match Content-Range " + contentRange,
            Map.of("Content-Range", contentRange, "Content-Length", declared));
      }
    }
    long size = append(repository, uploadId, ctx, offset, maxBytes);
    try {
      quotas.checkRoomFor(repository, size);
    } catch (RegistryException e) {
      storage.blobs().deleteUpload(uploadId);
      storage.metadata().deleteUpload(uploadId);
      throw e;
    }
    ctx.status(202);
    uploadHeaders(ctx, repository, uploadId, size);
  }

  /** PUT {@code ?digest=}: an optional last chunk, then the digest check and the blob becomes visible. */
  public void complete(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    String uploadId = requireUpload(repository, ctx.pathParam("uuid"));
    Digest digest = DigestParameter.parse(ctx.queryParam("digest"));
    long declared = ctx.req().getContentLengthLong();
    long offset = ContentRange.startOrUnknown(ctx.header("Content-Range"));
    // A last chunk that fails (a wrong offset, a full disk) is not kept and the upload stays open.
    if (declared != 0) append(repository, uploadId, ctx, offset, -1);
    // Once the commit is tried, the upload ends whatever happens: committed, or discarded with its bytes
    // (a wrong digest, a quota, a full disk), so that a failed completion leaves no file behind.
    try {
      commit(ctx, repository, uploadId, digest);
    } finally {
      storage.blobs().deleteUpload(uploadId);
      storage.metadata().deleteUpload(uploadId);
    }
  }

  /** GET: how much of the upload the registry has. */
  public void status(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    String uploadId = requireUpload(repository, ctx.pathParam("uuid"));
    OptionalLong size = storage.blobs().uploadSize(uploadId);
    if (size.isEmpty()) throw unknownUpload(uploadId);
    ctx.status(204);
    uploadHeaders(ctx, repository, uploadId, size.getAsLong());
  }

  /** DELETE: cancels the upload and frees its space. */
  public void cancel(Context ctx) throws IOException {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    String uploadId = requireUpload(repository, ctx.pathParam("uuid"));
    storage.blobs().deleteUpload(uploadId);
    storage.metadata().deleteUpload(uploadId);
    ctx.status(204);
  }

  private long append(String repository, String uploadId, Context ctx, long offset, long maxBytes) throws IOException {
    try (InputStream in = ctx.bodyInputStream()) {
      return storage.blobs().appendToUpload(uploadId, in, offset, maxBytes);
    } catch (UploadOffsetException e) {
      throw RegistryException.of(ErrorCode.BLOB_UPLOAD_INVALID, e.getMessage(), Map.of("size", e.currentSize()))
          .withStatus(416)
          .withHeader("Location", RegistryUrls.upload(repository, uploadId))
          .withHeader("Range", range(e.currentSize()))
          .withHeader("Docker-Upload-UUID", uploadId);
    } catch (UploadNotFoundException e) {
      throw unknownUpload(uploadId);
    } catch (ChunkLengthException e) {
      throw RegistryException.of(ErrorCode.SIZE_INVALID, e.getMessage() + "; the chunk was not kept");
    }
  }

  private void commit(Context ctx, String repository, String uploadId, Digest digest) throws IOException {
    if (storage.metadata().linkedBlobSize(repository, digest).isEmpty()) {
      quotas.checkRoomFor(repository, storage.blobs().uploadSize(uploadId).orElse(0));
    }
    long size;
    try {
      size = storage.blobs().commitUpload(uploadId, digest);
    } catch (DigestMismatchException e) {
      throw RegistryException.of(ErrorCode.DIGEST_INVALID, e.getMessage(),
          Map.of("expected", e.expected().toString(), "actual", e.actual().toString()));
    } catch (UploadNotFoundException e) {
      throw unknownUpload(uploadId);
    }
    storage.metadata().linkBlob(repository, digest, size);
    created(ctx, repository, digest);
  }

  private String requireUpload(String repository, String uploadId) {
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) throw unknownUpload(uploadId);
    Optional<String> owner = storage.metadata().uploadRepository(uploadId);
    if (owner.isEmpty() || !owner.get().equals(repository)) throw unknownUpload(uploadId);
    return uploadId;
  }

  private static void created(Context ctx, String repository, Digest digest) {
    ctx.status(201);
    ctx.header("Location", RegistryUrls.blob(repository, digest));
    ctx.header("Docker-Content-Digest", digest.toString());
    ctx.header("Content-Length", "0");
  }

  private static void uploadHeaders(Context ctx, String repository, String uploadId, long size) {
    ctx.header("Location", RegistryUrls.upload(repository, uploadId));
    ctx.header("Range", range(size));
    ctx.header("Docker-Upload-UUID", uploadId);
    ctx.header("Content-Length", "0");
  }

  /** The Range header of an upload: inclusive end; "0-0" for an empty one, as Distribution does. */
  private static String range(long size) { return "0-" + Math.max(0, size - 1); }

  private static String newUploadId() { return UUID.randomUUID().toString(); }

  private static RegistryException unknownUpload(String uploadId) {
    return RegistryException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN, "no upload in progress with id " + uploadId,
        Map.of("uuid", uploadId == null ? "" : uploadId));
  }
}
