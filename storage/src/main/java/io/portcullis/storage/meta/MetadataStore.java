package io.portcullis.storage.meta;

import io.portcullis.storage.model.Digest;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Everything about content except its bytes: which repositories exist, which blobs each may see,
 * manifests, tags, the subject-to-referrers index and upload sessions. Each method is one
 * transaction, so that a crash leaves either the whole change or none of it.
 */
public interface MetadataStore extends AutoCloseable {
  boolean repositoryExists(String repository);

  /** How many repositories exist. */
  long repositoryCount();

  /** The bytes of every blob (and manifest) visible in the repository, each counted once. */
  long repositorySize(String repository);

  /** Repository names in lexical order, after {@code after} (exclusive; null for the start). */
  List<String> repositories(String after, int limit);

  /** Makes a stored blob visible in a repository (creating the repository). */
  void linkBlob(String repository, Digest digest, long size);

  /** The size of a blob visible in the repository, or empty. */
  Optional<Long> linkedBlobSize(String repository, Digest digest);

  /** True when some repository other than the given one sees the blob. */
  List<String> repositoriesWithBlob(Digest digest);

  boolean unlinkBlob(String repository, Digest digest);

  /**
   * Garbage collection, first step: removes blob links that no manifest of their repository references
   * (and that are not manifests themselves), if they were made before {@code linkedBefore}.
   *
   * @param countOnly count them, remove nothing
   * @return how many links were (or would be) removed
   */
  long deleteUnreferencedLinks(java.time.Instant linkedBefore, boolean countOnly);

  /**
   * A number that changes whenever a manifest or a tag of the repository is written or deleted through
   * this store, after the change is committed. Anything computed from a repository's manifests and tags
   * (the gate's decisions, for one) can be cached under it and is never stale within this process.
   */
  long manifestRevision(String repository);

  /** Records a manifest and points the given tags at it, in one transaction. */
  void putManifest(StoredManifest manifest, Collection<String> tags);

  Optional<StoredManifest> manifest(String repository, Digest digest);

  Optional<Digest> resolveTag(String repository, String tag);

  /** Tags in lexical order, after {@code after} (exclusive; null for the start). */
  List<String> tags(String repository, String after, int limit);

  /** Tags pointing at a manifest. */
  List<String> tagsOf(String repository, Digest manifest);

  boolean deleteTag(String repository, String tag);

  /** Removes a manifest and every tag pointing at it. */
  boolean deleteManifest(String repository, Digest digest);

  /**
   * Manifests of the repository that reference the digest as config, layer or child manifest (their
   * own {@link StoredManifest#references()} are not loaded: empty).
   */
  List<StoredManifest> referencingManifests(String repository, Digest digest);

  /**
   * What is attached to a subject, as short keys: {@code ref:<digest>} for each referrer and
   * {@code <tag>:<digest>} for each of the given tags that exists (cosign's {@code sha256-<hex>.sig} etc.).
   * One cheap query; its result changes whenever evidence is added, moved or removed.
   */
  List<String> attachedKeys(String repository, Digest subject, List<String> tags);

  /** Manifests of the repository whose subject is the digest, oldest first (references not loaded: empty). */
  List<StoredManifest> referrers(String repository, Digest subject);

  /** Records the components of an SBOM attached to a subject (replacing what that SBOM had before). */
  void indexComponents(String repository, Digest subject, Digest sbom, java.util.List<IndexedComponent> components);

  /**
   * Subjects whose SBOMs contain the component, in (repository, digest) order, after the cursor
   * ({@link ComponentMatch#cursor()}; null for the start). Subjects whose manifest is gone are left out.
   */
  List<ComponentMatch> searchComponents(ComponentQuery query, String afterCursor, int limit);

  void putUpload(String uploadId, String repository);

  /** The repository an upload belongs to, or empty when there is no such upload. */
  Optional<String> uploadRepository(String uploadId);

  void deleteUpload(String uploadId);

  @Override
  void close();
}
