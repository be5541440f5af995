package io.portcullis.sbom.recognize;

import io.portcullis.sbom.model.SbomFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The media types, in-toto predicate types and tag names that mark an SBOM. */
public final class SbomTypes {
  private static final Map<String, SbomFormat> SBOM_MEDIA_TYPES = Map.ofEntries(
      Map.entry("application/vnd.cyclonedx+json", SbomFormat.CYCLONEDX),
      Map.entry("application/vnd.cyclonedx+xml", SbomFormat.CYCLONEDX),
      Map.entry("application/vnd.cyclonedx", SbomFormat.CYCLONEDX),
      Map.entry("application/spdx+json", SbomFormat.SPDX),
      Map.entry("application/spdx+xml", SbomFormat.SPDX),
      Map.entry("application/spdx+yaml", SbomFormat.SPDX),
      Map.entry("text/spdx", SbomFormat.SPDX),
      Map.entry("text/spdx+json", SbomFormat.SPDX),
      Map.entry("text/spdx+xml", SbomFormat.SPDX));
  private static final Set<String> ATTESTATION_MEDIA_TYPES =
      Set.of("application/vnd.in-toto+json", "application/vnd.dsse.envelope.v1+json");
  private static final Set<String> GENERIC_MEDIA_TYPES =
      Set.of("application/octet-stream", "application/json", "text/plain", "application/xml", "text/xml");
  private static final Pattern LEGACY_COSIGN_SBOM_TAG = Pattern.compile("sha256-[0-9a-f]{64}\\.sbom");

  /** Annotations that carry the in-toto predicate type of an attestation layer (cosign, ORAS, Sigstore). */
  public static final Set<String> PREDICATE_TYPE_ANNOTATIONS =
      Set.of("predicateType", "in-toto.io/predicate-type", "dev.sigstore.bundle.predicateType");

  private SbomTypes() {}

  /** Lower case, parameters ({@code ;version=1.5}) removed; null stays null. */
  public static String essence(String mediaType) {
    if (mediaType == null) {
      return null;
    }
    int semi = mediaType.indexOf(';');
    return (semi >= 0 ? mediaType.substring(0, semi) : mediaType).strip().toLowerCase(Locale.ROOT);
  }

  /** The SBOM format a media type names ({@code application/spdx+json} gives SPDX), if it names one. */
  public static Optional<SbomFormat> formatOfMediaType(String mediaType) {
    String e = essence(mediaType);
    return e == null ? Optional.empty() : Optional.ofNullable(SBOM_MEDIA_TYPES.get(e));
  }

  /** In-toto statement or DSSE envelope: an SBOM only if the predicate type says so. */
  public static boolean isAttestationMediaType(String mediaType) {
    String e = essence(mediaType);
    return e != null && ATTESTATION_MEDIA_TYPES.contains(e);
  }

  /** Types that say nothing about the content ({@code application/octet-stream}, {@code application/json}, ...). */
  public static boolean isGenericMediaType(String mediaType) {
    String e = essence(mediaType);
    return e != null && GENERIC_MEDIA_TYPES.contains(e);
  }

  /**
   * The SBOM format of an in-toto predicate type: {@code https://cyclonedx.org/bom} and versioned variants
   * ({@code https://cyclonedx.org/bom/v1.4}), {@code https://spdx.dev/Document} and versioned variants.
   */
  public static Optional<SbomFormat> formatOfPredicateType(String predicateType) {
    if (predicateType == null) {
      return Optional.empty();
    }
    String p = predicateType.strip();
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    String lower = p.toLowerCase(Locale.ROOT);
    for (String base : new String[] {"https://cyclonedx.org/bom", "http://cyclonedx.org/bom"}) {
      if (lower.equals(base) || lower.startsWith(base + "/")) {
        return Optional.of(SbomFormat.CYCLONEDX);
      }
    }
    for (String base : new String[] {"https://spdx.dev/document", "https://spdx.org/document", "http://spdx.dev/document"}) {
      if (lower.equals(base) || lower.startsWith(base + "/")) {
        return Optional.of(SbomFormat.SPDX);
      }
    }
    return Optional.empty();
  }

  /** cosign's legacy SBOM tag: {@code sha256-<64 hex>.sbom}. */
  public static boolean isLegacyCosignSbomTag(String tag) {
    return tag != null && LEGACY_COSIGN_SBOM_TAG.matcher(tag).matches();
  }
}
