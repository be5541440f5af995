package io.portcullis.gateway.gate;

import io.portcullis.attest.discovery.ArtifactSource;
import io.portcullis.attest.discovery.ReferrerDescriptor;
import io.portcullis.storage.Storage;
import io.portcullis.storage.blob.BlobNotFoundException;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.InvalidDigestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The registry's own content, as the evidence verifier reads it: what a client of the repository sees. */
public final class StorageArtifactSource implements ArtifactSource {
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private final Storage storage;

  public StorageArtifactSource(Storage storage) { this.storage = storage; }

  @Override
  public Optional<byte[]> manifest(String repository, String reference) {
    Optional<Digest> digest;
    try {
      digest = Digest.looksLikeDigest(reference) ? Optional.of(Digest.parse(reference)) : storage.metadata().resolveTag(repository, reference);
    } catch (InvalidDigestException e) {
      return Optional.empty();
    }
    if (digest.isEmpty() || storage.metadata().manifest(repository, digest.get()).isEmpty()) return Optional.empty();
    try (InputStream in = storage.blobs().open(digest.get(), 0)) {
      return Optional.of(in.readNBytes(MAX_MANIFEST_BYTES));
    } catch (BlobNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream blob(String repository, String digest) throws IOException {
    Digest d;
    try {
      d = Digest.parse(digest);
    } catch (InvalidDigestException e) {
      throw new IOException(e.getMessage());
    }
    if (storage.metadata().linkedBlobSize(repository, d).isEmpty()) throw new BlobNotFoundException(d);
    return storage.blobs().open(d, 0);
  }

  @Override
  public List<ReferrerDescriptor> referrers(String repository, String subjectDigest) {
    Digest subject;
    try {
      subject = Digest.parse(subjectDigest);
    } catch (InvalidDigestException e) {
      return List.of();
    }
    List<ReferrerDescriptor> out = new ArrayList<>();
    for (StoredManifest m : storage.metadata().referrers(repository, subject)) {
      out.add(new ReferrerDescriptor(m.mediaType(), m.digest().toString(), m.size(), m.artifactType(), m.annotations()));
    }
    return out;
  }
}
