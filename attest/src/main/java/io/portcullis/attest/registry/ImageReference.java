package io.portcullis.attest.registry;

import java.util.regex.Pattern;

/**
 * {@code REGISTRY/REPOSITORY[:TAG][@DIGEST]}. The registry part is required (it must look like a
 * host: contain a dot or a port, or be {@code localhost}); there is no implicit Docker Hub.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

  /** @throws IllegalArgumentException for a reference that cannot be used */
  public static ImageReference parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("reference needs a registry: " + text);
    }
    String registry = text.substring(0, slash);
    if (!(registry.contains(".") || registry.contains(":") || registry.equals("localhost"))) {
      throw new IllegalArgumentException("first component is not a registry host: " + registry);
    }
    String rest = text.substring(slash + 1);
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("bad digest: " + digest);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("bad tag: " + tag);
      }
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new IllegalArgumentException("bad repository name: " + rest);
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** The digest if given, else the tag. */
  public String reference() {
    return digest != null ? digest : tag;
  }

  /** {@code registry/repository}, what cosign records as docker-reference when signing by digest. */
  public String name() {
    return registry + "/" + repository;
  }

  @Override
  public String toString() {
    return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
