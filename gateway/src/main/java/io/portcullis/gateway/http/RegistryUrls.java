package io.portcullis.gateway.http;

import io.portcullis.storage.model.Digest;

/** The paths the registry hands out in Location and Link headers. Relative, as the spec allows. */
public final class RegistryUrls {
  private RegistryUrls() {}

  public static String blob(String repository, Digest digest) { return "/v2/" + repository + "/blobs/" + digest; }

  public static String upload(String repository, String uploadId) { return "/v2/" + repository + "/blobs/uploads/" + uploadId; }

  public static String manifest(String repository, Digest digest) { return "/v2/" + repository + "/manifests/" + digest; }

  public static String tagList(String repository) { return "/v2/" + repository + "/tags/list"; }

  public static String catalog() { return "/v2/_catalog"; }

  public static String referrers(String repository, Digest subject) { return "/v2/" + repository + "/referrers/" + subject; }
}
