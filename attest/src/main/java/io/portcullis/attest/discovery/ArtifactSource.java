package io.portcullis.attest.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where evidence comes from: the gateway implements it over its storage, {@code RegistryClient}
 * over the OCI distribution API of any registry. Implementations bound manifest sizes themselves.
 */
public interface ArtifactSource {
  /** A manifest by tag or digest, or empty when there is none. */
  Optional<byte[]> manifest(String repository, String reference);

  /** A blob's content; the caller closes the stream and bounds what it reads. */
  InputStream blob(String repository, String digest) throws IOException;

  /** The OCI 1.1 referrers of a subject digest (empty when none or unsupported). */
  List<ReferrerDescriptor> referrers(String repository, String subjectDigest);
}
