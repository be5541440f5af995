package io.portcullis.gateway.auth;

import java.util.Locale;

/** What an identity may do to a repository. */
public enum Action {
  /** Pull manifests and blobs, list tags and referrers. */
  READ,
  /** Push blobs, push manifests under new tags or by digest. */
  CREATE,
  /** Move an existing tag to another manifest. */
  UPDATE,
  /** Delete manifests, tags and blobs. */
  DELETE;

  public static Action parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown action '" + text + "' (known: read, create, update, delete)");
    }
  }

  public String label() { return name().toLowerCase(Locale.ROOT); }
}
