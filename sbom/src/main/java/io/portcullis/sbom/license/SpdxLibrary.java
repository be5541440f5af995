package io.portcullis.sbom.license;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.spdx.library.ListedLicenses;
import org.spdx.library.SpdxModelFactory;

/**
 * One-time set-up of the SPDX Java library: license data from the library's own jar only (never
 * https://spdx.org), then {@code SpdxModelFactory.init()}. The library keeps global state, so callers
 * that read documents hold {@link #LOCK}.
 */
public final class SpdxLibrary {
  /** Serialises use of the SPDX library's global state. */
  public static final Object LOCK = new Object();

  private static volatile boolean initialised;
  /** Lower-case id to canonical id, for listed licenses and exceptions; filled once, read without locking. */
  private static volatile Map<String, String> licenseIds = Map.of();
  private static volatile Map<String, String> exceptionIds = Map.of();

  private SpdxLibrary() {}

  /** Idempotent; cheap after the first call. */
  public static void ensureInitialised() {
    if (initialised) {
      return;
    }
    synchronized (LOCK) {
      if (!initialised) {
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        SpdxModelFactory.init();
        licenseIds = lowerCaseIndex(ListedLicenses.getListedLicenses().getSpdxListedLicenseIds());
        exceptionIds = lowerCaseIndex(ListedLicenses.getListedLicenses().getSpdxListedExceptionIds());
        initialised = true;
      }
    }
  }

  private static Map<String, String> lowerCaseIndex(List<String> ids) {
    Map<String, String> index = new HashMap<>();
    for (String id : ids) {
      index.put(id.toLowerCase(Locale.ROOT), id);
    }
    return Map.copyOf(index);
  }

  /** The listed license id with its canonical case ("apache-2.0" gives "Apache-2.0"), if the id is listed. */
  public static Optional<String> canonicalLicenseId(String id) {
    ensureInitialised();
    return id == null ? Optional.empty() : Optional.ofNullable(licenseIds.get(id.strip().toLowerCase(Locale.ROOT)));
  }

  /** The listed exception id with its canonical case, if listed. */
  public static Optional<String> canonicalExceptionId(String id) {
    ensureInitialised();
    return id == null ? Optional.empty() : Optional.ofNullable(exceptionIds.get(id.strip().toLowerCase(Locale.ROOT)));
  }
}
