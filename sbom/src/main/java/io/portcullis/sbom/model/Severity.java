package io.portcullis.sbom.model;

import java.util.Locale;

/** Vulnerability severity, in CycloneDX's vocabulary, most severe first. */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  INFO,
  NONE,
  UNKNOWN;

  /** The lower-case name used in JSON output and policy input ("critical", "high", ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a severity name case-insensitively; anything unrecognised is {@link #UNKNOWN}. */
  public static Severity fromLabel(String label) {
    if (label == null) {
      return UNKNOWN;
    }
    for (Severity s : values()) {
      if (s.name().equalsIgnoreCase(label.trim())) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
