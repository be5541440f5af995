package io.portcullis.sbom.license;

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

  private static boolean initialised;

  private SpdxLibrary() {}

  /** Idempotent; cheap after the first call. */
  public static void ensureInitialised() {
    synchronized (LOCK) {
      if (!initialised) {
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        SpdxModelFactory.init();
        initialised = true;
      }
    }
  }

  /** The listed license id with its canonical case ("apache-2.0" gives "Apache-2.0"), if the id is listed. */
  public static Optional<String> canonicalLicenseId(String id) {
    ensureInitialised();
    try {
      return ListedLicenses.getListedLicenses().listedLicenseIdCaseSensitive(id);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The listed exception id with its canonical case, if listed. */
  public static Optional<String> canonicalExceptionId(String id) {
    ensureInitialised();
    try {
      return ListedLicenses.getListedLicenses().listedExceptionIdCaseSensitive(id);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
