package io.portcullis.storage;

import io.portcullis.storage.blob.BlobStore;
import io.portcullis.storage.blob.FileSystemBlobStore;
import io.portcullis.storage.meta.MetadataStore;
import io.portcullis.storage.meta.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The registry's persistent state: blob bytes and metadata.
 *
 * <p>The default (embedded) layout under one root directory: {@code blobs/} and {@code uploads/}
 * (see {@link FileSystemBlobStore}) and {@code metadata.db} (see {@link SqliteMetadataStore}).
 */
public record Storage(BlobStore blobs, MetadataStore metadata) implements AutoCloseable {
  /** Opens (creating if needed) filesystem blobs and SQLite metadata under {@code root}. */
  public static Storage openEmbedded(Path root) throws IOException {
    Files.createDirectories(root);
    return new Storage(new FileSystemBlobStore(root), new SqliteMetadataStore(root.resolve("metadata.db")));
  }

  @Override
  public void close() { metadata.close(); }
}
