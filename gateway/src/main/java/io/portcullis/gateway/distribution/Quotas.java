package io.portcullis.gateway.distribution;

import io.portcullis.gateway.StorageSettings;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.storage.Storage;
import java.util.Map;

/** The repository-count and per-repository storage limits, checked before content is accepted. */
public final class Quotas {
  private final Storage storage;
  private final StorageSettings settings;

  public Quotas(Storage storage, StorageSettings settings) {
    this.storage = storage;
    this.settings = settings;
  }

  /** Refuses a write that would create a repository beyond the registry's limit. */
  public void checkNewRepository(String repository) {
    if (settings.maxRepositories() <= 0 || storage.metadata().repositoryExists(repository)) return;
    if (storage.metadata().repositoryCount() >= settings.maxRepositories()) {
      throw RegistryException.of(ErrorCode.DENIED, "the registry already holds its limit of " + settings.maxRepositories()
          + " repositories; repository " + repository + " cannot be created", Map.of("repository", repository, "limit", settings.maxRepositories()));
    }
  }

  /** Refuses adding {@code bytes} to a repository when its quota would be exceeded. */
  public void checkRoomFor(String repository, long bytes) {
    if (settings.repositoryQuotaBytes() <= 0) return;
    long used = storage.metadata().repositorySize(repository);
    if (used + bytes > settings.repositoryQuotaBytes()) {
      throw RegistryException.of(ErrorCode.DENIED, "repository " + repository + " would hold " + (used + bytes) + " bytes, more than its quota of "
          + settings.repositoryQuotaBytes() + " bytes (" + used + " used); delete content or ask for a larger quota",
          Map.of("repository", repository, "used", used, "quota", settings.repositoryQuotaBytes()));
    }
  }
}
