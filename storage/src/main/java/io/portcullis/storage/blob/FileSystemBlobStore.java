package io.portcullis.storage.blob;

import io.portcullis.storage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Blobs as files. The layout under the root:
 *
 * <pre>
 * blobs/&lt;algorithm&gt;/&lt;first two hex digits&gt;/&lt;hex&gt;   committed blobs, never modified
 * uploads/&lt;upload id&gt;                                bytes received so far for an upload
 * </pre>
 *
 * An upload is appended to while it is hashed; committing forces it to disk, checks the digest and
 * renames it atomically into {@code blobs/}, then syncs the directory, so that a crash at any moment
 * leaves either no blob or a complete one. The running SHA-256 of each upload is kept in memory; after
 * a restart (or for sha512) the upload file is hashed again at commit.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final int BUFFER = 256 * 1024;

  private final Path blobsDir;
  private final Path uploadsDir;
  private final ConcurrentHashMap<String, RunningHash> runningHashes = new ConcurrentHashMap<>();

  /** The hash of the bytes appended so far, valid while {@code size} equals the file's size. */
  private static final class RunningHash {
    final MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    long size;
  }

  public FileSystemBlobStore(Path root) throws IOException {
    this.blobsDir = root.resolve("blobs");
    this.uploadsDir = root.resolve("uploads");
    Files.createDirectories(blobsDir);
    Files.createDirectories(uploadsDir);
  }

  private Path blobPath(Digest d) {
    return blobsDir.resolve(d.algorithm()).resolve(d.hex().substring(0, 2)).resolve(d.hex());
  }

  private Path uploadPath(String uploadId) {
    if (!UPLOAD_ID.matcher(uploadId).matches()) throw new IllegalArgumentException("invalid upload id");
    return uploadsDir.resolve(uploadId);
  }

  @Override
  public OptionalLong size(Digest digest) throws IOException {
    try {
      return OptionalLong.of(Files.size(blobPath(digest)));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public InputStream open(Digest digest, long offset) throws IOException {
    FileChannel ch = openChannel(digest);
    ch.position(offset);
    return Channels.newInputStream(ch);
  }

  @Override
  public FileChannel openChannel(Digest digest) throws IOException {
    try {
      return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  @Override
  public void createUpload(String uploadId) throws IOException {
    Files.createFile(uploadPath(uploadId));
    runningHashes.put(uploadId, new RunningHash());
  }

  @Override
  public OptionalLong uploadSize(String uploadId) throws IOException {
    try {
      return OptionalLong.of(Files.size(uploadPath(uploadId)));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public long appendToUpload(String uploadId, InputStream in, long expectedOffset, long exactLength) throws IOException {
    Path path = uploadPath(uploadId);
    RunningHash hash = runningHashes.computeIfAbsent(uploadId, id -> new RunningHash());
    synchronized (hash) {
      FileChannel ch;
      try {
        ch = FileChannel.open(path, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        runningHashes.remove(uploadId, hash);
        throw new UploadNotFoundException(uploadId);
      }
      try (ch) {
        long size = ch.size();
        if (expectedOffset >= 0 && expectedOffset != size) throw new UploadOffsetException(expectedOffset, size);
        try {
          long total = appendChunk(ch, in, hash, size, exactLength);
          if (hash.size == size) hash.size = total;
          return total;
        } catch (IOException e) {
          // A chunk is kept whole or not at all: a failed write (a full disk) or a client that went away
          // mid-chunk leaves the upload as it was before the chunk, so that it resumes from there. The
          // hash is out of step with the file now; it is recomputed at commit.
          hash.size = -1;
          try {
            if (ch.size() > size) ch.truncate(size);
          } catch (IOException truncateFailure) {
            e.addSuppressed(truncateFailure);
          }
          throw e;
        }
      }
    }
  }

  /** Writes the chunk at the end of the upload ({@code size}), hashing it when the running hash is in step. */
  private static long appendChunk(FileChannel ch, InputStream in, RunningHash hash, long size, long exactLength) throws IOException {
    boolean hashValid = hash.size == size;
    ch.position(size);
    byte[] buf = new byte[BUFFER];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long written = 0;
    int n;
    // Fill the whole buffer before each write: the servlet stream hands over 8 KiB at a time, and
    // one 256 KiB write costs far less than thirty-two small ones.
    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
      written += n;
      if (exactLength >= 0 && written > exactLength) throw new ChunkLengthException(exactLength, written);
      bb.clear().limit(n);
      while (bb.hasRemaining()) ch.write(bb);
      if (hashValid) hash.sha256.update(buf, 0, n);
    }
    if (exactLength >= 0 && written != exactLength) throw new ChunkLengthException(exactLength, written);
    return size + written;
  }

  @Override
  public long commitUpload(String uploadId, Digest expected) throws IOException {
    Path path = uploadPath(uploadId);
    RunningHash hash = runningHashes.computeIfAbsent(uploadId, id -> new RunningHash());
    synchronized (hash) {
      long size;
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
        ch.force(true);
        size = ch.size();
      } catch (NoSuchFileException e) {
        throw new UploadNotFoundException(uploadId);
      }
      Digest actual;
      if (expected.algorithmKind() == Digest.Algorithm.SHA256 && hash.size == size) {
        actual = Digest.of(Digest.Algorithm.SHA256, ((MessageDigest) cloneOf(hash.sha256)).digest());
      } else {
        actual = hashFile(path, expected.algorithmKind());
      }
      if (!actual.equals(expected)) {
        deleteUpload(uploadId);
        throw new DigestMismatchException(expected, actual);
      }
      Path target = blobPath(expected);
      createDirectoriesDurably(target.getParent());
      if (Files.exists(target)) {
        Files.deleteIfExists(path);
        // Pushed again: garbage collection must see it as recent (it may have found it unreferenced).
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
      } else {
        try {
          Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
          Files.deleteIfExists(path); // another upload of the same content won the race
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the storage directory does not support atomic renames", e);
        }
        syncDirectory(target.getParent());
      }
      runningHashes.remove(uploadId);
      return size;
    }
  }

  private static Object cloneOf(MessageDigest md) {
    try {
      return md.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JVM's SHA-256 cannot be cloned", e);
    }
  }

  private static Digest hashFile(Path path, Digest.Algorithm algorithm) throws IOException {
    MessageDigest md = algorithm.newHasher();
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
    }
    return Digest.of(algorithm, md.digest());
  }

  /**
   * Creates {@code dir} and any missing parents, syncing the parent of each one created, so that after a
   * power loss the blob renamed into it is not lost with a directory entry that never reached the disk.
   */
  private static void createDirectoriesDurably(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    createDirectoriesDurably(dir.getParent());
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      // created meanwhile by another commit: synced below all the same, before this one renames into it
    }
    syncDirectory(dir.getParent());
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the rename itself is still atomic.
    }
  }

  @Override
  public java.util.List<String> uploadsIdleSince(java.time.Instant cutoff) throws IOException {
    java.util.List<String> idle = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(uploadsDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          // Appending to the upload file updates its modification time: it is the last activity.
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) idle.add(p.getFileName().toString());
        } catch (NoSuchFileException e) {
          // finished or cancelled meanwhile
        }
      }
    }
    return idle;
  }

  @Override
  public boolean deleteUpload(String uploadId) throws IOException {
    runningHashes.remove(uploadId);
    return Files.deleteIfExists(uploadPath(uploadId));
  }

  @Override
  public void forEachBlob(java.util.function.Consumer<Digest> visitor) throws IOException {
    for (Digest.Algorithm alg : Digest.Algorithm.values()) {
      Path dir = blobsDir.resolve(alg.label());
      if (!Files.isDirectory(dir)) continue;
      try (java.util.stream.Stream<Path> files = Files.walk(dir, 2)) {
        for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          try {
            visitor.accept(new Digest(alg.label(), p.getFileName().toString()));
          } catch (IllegalArgumentException e) {
            // not a blob file (a stray file in the store): not ours to judge here
          }
        }
      }
    }
  }

  @Override
  public boolean contentMatchesDigest(Digest digest) throws IOException {
    Path path = blobPath(digest);
    if (!Files.exists(path)) throw new BlobNotFoundException(digest);
    return hashFile(path, digest.algorithmKind()).equals(digest);
  }

  /** Quarantined blobs go to {@code quarantine/<algorithm>/<hex>} beside {@code blobs/}. */
  @Override
  public boolean quarantine(Digest digest) throws IOException {
    Path target = blobsDir.resolveSibling("quarantine").resolve(digest.algorithm()).resolve(digest.hex());
    Files.createDirectories(target.getParent());
    try {
      Files.move(blobPath(digest), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public java.util.Optional<java.time.Instant> lastStored(Digest digest) throws IOException {
    try {
      return java.util.Optional.of(Files.getLastModifiedTime(blobPath(digest)).toInstant());
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public boolean delete(Digest digest) throws IOException {
    return Files.deleteIfExists(blobPath(digest));
  }
}
