package io.portcullis.attest.cosign;

/**
 * What the signed {@code critical.identity.docker-reference} must be, as in containers' policy.json
 * {@code signedIdentity}: {@code matchExact} (the whole reference, tag included) or
 * {@code matchRepository} (same registry and repository, any tag or digest). Apply it to
 * {@code VerificationEntry.dockerReference()} of a verified entry.
 */
public final class DockerReferenceMatch {
  private final String expected;
  private final boolean repositoryOnly;

  private DockerReferenceMatch(String expected, boolean repositoryOnly) {
    this.expected = expected;
    this.repositoryOnly = repositoryOnly;
  }

  public static DockerReferenceMatch exact(String reference) {
    return new DockerReferenceMatch(reference, false);
  }

  public static DockerReferenceMatch repository(String registryAndRepository) {
    return new DockerReferenceMatch(registryAndRepository, true);
  }

  public boolean matches(String signedReference) {
    if (signedReference == null) {
      return false;
    }
    return repositoryOnly ? repositoryOf(signedReference).equals(expected) : signedReference.equals(expected);
  }

  /** {@code host[:port]/path} without {@code :tag} or {@code @digest}. */
  static String repositoryOf(String reference) {
    String r = reference;
    int at = r.indexOf('@');
    if (at >= 0) {
      r = r.substring(0, at);
    }
    int slash = r.lastIndexOf('/');
    int colon = r.lastIndexOf(':');
    return colon > slash ? r.substring(0, colon) : r;
  }
}
