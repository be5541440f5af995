package io.portcullis.gateway;

import io.portcullis.gateway.auth.RepositoryPattern;
import java.time.Duration;
import java.util.List;

/**
 * How the registry treats its storage.
 *
 * @param uploadIdleTimeout an upload that receives no bytes for this long is discarded and its space
 *     reclaimed (a client that never finishes cannot fill the disk)
 * @param readOnly every write (push, delete) is refused with 405 UNSUPPORTED
 * @param readOnlyRepositories writes to repositories matching these patterns are refused the same way
 * @param maxRepositories the most repositories the registry holds (0: no limit)
 * @param repositoryQuotaBytes the most bytes of blobs one repository may hold (0: no limit)
 */
public record StorageSettings(Duration uploadIdleTimeout, boolean readOnly, List<RepositoryPattern> readOnlyRepositories,
    long maxRepositories, long repositoryQuotaBytes) {
  public StorageSettings {
    readOnlyRepositories = List.copyOf(readOnlyRepositories);
  }

  public static StorageSettings defaults() {
    return new StorageSettings(Duration.ofHours(24), false, List.of(), 0, 0);
  }

  public boolean isReadOnly(String repository) {
    return readOnly || readOnlyRepositories.stream().anyMatch(p -> p.matches(repository));
  }

  public StorageSettings withUploadIdleTimeout(Duration d) {
    return new StorageSettings(d, readOnly, readOnlyRepositories, maxRepositories, repositoryQuotaBytes);
  }

  public StorageSettings withReadOnly(boolean r) {
    return new StorageSettings(uploadIdleTimeout, r, readOnlyRepositories, maxRepositories, repositoryQuotaBytes);
  }

  public StorageSettings withReadOnlyRepositories(List<RepositoryPattern> p) {
    return new StorageSettings(uploadIdleTimeout, readOnly, p, maxRepositories, repositoryQuotaBytes);
  }

  public StorageSettings withQuotas(long maxRepos, long quotaBytes) {
    return new StorageSettings(uploadIdleTimeout, readOnly, readOnlyRepositories, maxRepos, quotaBytes);
  }
}
