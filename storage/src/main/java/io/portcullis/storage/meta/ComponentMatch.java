package io.portcullis.storage.meta;

import io.portcullis.storage.model.Digest;

/** A subject (in a repository) whose attached SBOMs contain a searched component. */
public record ComponentMatch(String repository, Digest subject) {
  /** The pagination cursor after this match. */
  public String cursor() { return repository + "@" + subject; }
}
