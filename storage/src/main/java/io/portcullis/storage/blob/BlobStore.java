package io.portcullis.storage.blob;

import io.portcullis.storage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Content-addressed bytes shared by all repositories, plus the resumable uploads that become them.
 * A blob is visible only once complete and verified: {@link #commitUpload} checks the digest before
 * the bytes become readable under it. Which repository may see which blob is metadata, not a
 * concern of this store.
 */
public interface BlobStore {
  /** The size of a stored blob, or empty when it is not stored. */
  OptionalLong size(Digest digest) throws IOException;

  /** Streams a stored blob from {@code offset}; throws {@link BlobNotFoundException} when absent. */
  InputStream open(Digest digest, long offset) throws IOException;

  /**
   * Opens a stored blob as a file channel, so that a server can hand its pages to the socket without
   * copying them through the heap (memory-mapped); throws {@link BlobNotFoundException} when absent.
   */
  java.nio.channels.FileChannel openChannel(Digest digest) throws IOException;

  /** Starts an empty upload under a new id. */
  void createUpload(String uploadId) throws IOException;

  /** The number of bytes received so far, or empty when there is no such upload. */
  OptionalLong uploadSize(String uploadId) throws IOException;

  /**
   * Appends bytes to an upload.
   *
   * @param expectedOffset where the client says the chunk starts; -1 when it did not say
   * @param exactLength how many bytes the chunk must have, or -1 when the client did not say
   * @return the upload's size after the append
   * @throws UploadOffsetException when {@code expectedOffset} is not the current size
   * @throws ChunkLengthException when the chunk is longer or shorter than {@code exactLength}; the upload
   *     is left as it was before the chunk
   */
  long appendToUpload(String uploadId, InputStream in, long expectedOffset, long exactLength) throws IOException;

  /**
   * Verifies the upload's content against {@code expected} and makes it readable under that digest.
   * On mismatch the upload is discarded and {@link DigestMismatchException} thrown. Storing a blob that
   * is already stored keeps the existing copy.
   *
   * @return the size of the committed blob
   */
  long commitUpload(String uploadId, Digest expected) throws IOException;

  /** Ids of uploads that received no bytes since {@code cutoff} (abandoned by their clients). */
  java.util.List<String> uploadsIdleSince(java.time.Instant cutoff) throws IOException;

  /** Discards an upload; true when there was one. */
  boolean deleteUpload(String uploadId) throws IOException;

  /** Calls {@code visitor} with the digest of every stored blob, streaming (never a list of all). */
  void forEachBlob(java.util.function.Consumer<Digest> visitor) throws IOException;

  /** True when the stored bytes still hash to the blob's digest; throws {@link BlobNotFoundException} when absent. */
  boolean contentMatchesDigest(Digest digest) throws IOException;

  /** Moves a blob out of service (kept for inspection, no longer served); true when there was one. */
  boolean quarantine(Digest digest) throws IOException;

  /** When the blob was stored or last re-pushed; empty when it is not stored. */
  java.util.Optional<java.time.Instant> lastStored(Digest digest) throws IOException;

  /** Removes a stored blob; true when there was one. */
  boolean delete(Digest digest) throws IOException;
}
