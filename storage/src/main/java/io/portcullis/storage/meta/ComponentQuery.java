package io.portcullis.storage.meta;

/**
 * What to search the SBOM component index for: exactly one of a package URL (with or without version),
 * a name (optionally with a version) or a license id, each already normalised like the index.
 */
public record ComponentQuery(Kind kind, String value, String version) {
  /** The indexed column to match. */
  public enum Kind { PURL_BASE, PURL, NAME, LICENSE }

  public static ComponentQuery purlBase(String base) { return new ComponentQuery(Kind.PURL_BASE, base, null); }
  public static ComponentQuery purl(String versioned) { return new ComponentQuery(Kind.PURL, versioned, null); }
  public static ComponentQuery name(String name, String version) { return new ComponentQuery(Kind.NAME, name, version); }
  public static ComponentQuery license(String id) { return new ComponentQuery(Kind.LICENSE, id, null); }
}
