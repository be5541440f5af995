package io.portcullis.sbom.index;

import io.portcullis.sbom.license.LicenseExpressions;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a parsed SBOM into flat, storage-neutral index rows, and normalises queries the same way, so that
 * "which images contain X?" is an index lookup:
 *
 * <ul>
 *   <li>by purl with version: {@code WHERE purl = PackageUrlKey.of(q).versioned()}
 *   <li>by purl without version: {@code WHERE purl_base = PackageUrlKey.of(q).base()}
 *   <li>by name (and version): {@code WHERE name = nameKey(q) [AND version = ?]}
 *   <li>by license: a row per (component, license id) with {@code license = licenseKey(q)}
 * </ul>
 */
public final class SbomIndexer {
  private SbomIndexer() {}

  /** One row per component, duplicates (same purl, name, version and licenses) collapsed. */
  public static List<ComponentIndexRow> rows(SbomDocument document) {
    Set<ComponentIndexRow> rows = new LinkedHashSet<>();
    for (SbomComponent c : document.components()) {
      rows.add(row(c));
    }
    return new ArrayList<>(rows);
  }

  public static ComponentIndexRow row(SbomComponent c) {
    PackageUrlKey key = PackageUrlKey.of(c.purl());
    Set<String> licenseIds = new LinkedHashSet<>();
    for (String expression : c.licenses()) {
      licenseIds.addAll(LicenseExpressions.licenseIds(expression));
    }
    return new ComponentIndexRow(
        key == null ? null : key.base(),
        key == null ? null : key.versioned(),
        nameKey(c.name()),
        c.group() == null ? null : c.group().strip().toLowerCase(Locale.ROOT),
        c.version(),
        List.copyOf(licenseIds),
        c.purl());
  }

  /** The distinct license ids of a whole document, as lookup keys (lower case). */
  public static List<String> licenseKeys(SbomDocument document) {
    Set<String> keys = new LinkedHashSet<>();
    for (ComponentIndexRow r : rows(document)) {
      for (String id : r.licenseIds()) {
        keys.add(licenseKey(id));
      }
    }
    return List.copyOf(keys);
  }

  /** Component names are matched case-insensitively. */
  public static String nameKey(String name) {
    return name == null ? null : name.strip().toLowerCase(Locale.ROOT);
  }

  /** License ids are matched case-insensitively ("mit" finds "MIT"). */
  public static String licenseKey(String licenseId) {
    return licenseId == null ? null : licenseId.strip().toLowerCase(Locale.ROOT);
  }
}
