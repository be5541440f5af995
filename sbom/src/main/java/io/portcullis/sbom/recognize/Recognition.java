package io.portcullis.sbom.recognize;

import io.portcullis.sbom.model.SbomFormat;
import java.util.List;

/**
 * The verdict on one artifact.
 *
 * @param verdict whether it is an SBOM, may be one, or is not
 * @param format the SBOM format when the descriptors name it; null otherwise
 * @param layers indexes of the layers to fetch and hand to {@code SbomParser} (empty for {@link Verdict#NOT_SBOM})
 * @param reason which descriptor decided, in words
 */
public record Recognition(Verdict verdict, SbomFormat format, List<Integer> layers, String reason) {

  public Recognition {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** How sure the descriptors alone make us. */
  public enum Verdict {
    /** The descriptors name an SBOM format or an SBOM predicate type. */
    SBOM,
    /** An in-toto statement or DSSE envelope without a visible predicate type: parse to find out. */
    ATTESTATION,
    /** Generic media types only: the content must be sniffed. */
    CANDIDATE,
    /** Nothing marks it as an SBOM. */
    NOT_SBOM
  }

  public boolean worthParsing() {
    return verdict != Verdict.NOT_SBOM;
  }
}
