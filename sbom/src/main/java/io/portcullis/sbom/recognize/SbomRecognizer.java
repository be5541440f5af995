package io.portcullis.sbom.recognize;

import io.portcullis.sbom.model.SbomFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides from descriptors alone whether an artifact is an SBOM: by {@code artifactType}, config media type,
 * layer media types, the predicate type annotation of attestation layers, and cosign's legacy
 * {@code sha256-<hex>.sbom} tag. Generic media types make an artifact a candidate whose content is sniffed.
 */
public final class SbomRecognizer {

  public Recognition recognize(ArtifactDescription artifact) {
    List<ArtifactDescription.Layer> layers = artifact.layers();

    Optional<SbomFormat> byArtifactType = SbomTypes.formatOfMediaType(artifact.artifactType());
    if (byArtifactType.isPresent()) {
      return new Recognition(Recognition.Verdict.SBOM, byArtifactType.get(), contentLayers(layers),
          "artifactType " + artifact.artifactType());
    }
    Optional<SbomFormat> byConfig = SbomTypes.formatOfMediaType(artifact.configMediaType());
    if (byConfig.isPresent()) {
      return new Recognition(Recognition.Verdict.SBOM, byConfig.get(), contentLayers(layers),
          "config media type " + artifact.configMediaType());
    }

    List<Integer> sbomLayers = new ArrayList<>();
    SbomFormat format = null;
    for (int i = 0; i < layers.size(); i++) {
      Optional<SbomFormat> f = SbomTypes.formatOfMediaType(layers.get(i).mediaType());
      if (f.isPresent()) {
        sbomLayers.add(i);
        format = format == null ? f.get() : format;
      }
    }
    if (!sbomLayers.isEmpty()) {
      return new Recognition(Recognition.Verdict.SBOM, format, sbomLayers,
          "layer media type " + layers.get(sbomLayers.get(0)).mediaType());
    }

    boolean attestationArtifact = SbomTypes.isAttestationMediaType(artifact.artifactType())
        || SbomTypes.isAttestationMediaType(artifact.configMediaType());
    List<Integer> sbomPredicateLayers = new ArrayList<>();
    List<Integer> unknownPredicateLayers = new ArrayList<>();
    SbomFormat predicateFormat = null;
    String predicateType = null;
    for (int i = 0; i < layers.size(); i++) {
      ArtifactDescription.Layer layer = layers.get(i);
      if (!SbomTypes.isAttestationMediaType(layer.mediaType()) && !(attestationArtifact && isUntyped(layer))) {
        continue;
      }
      String declared = predicateTypeOf(layer);
      if (declared == null) {
        unknownPredicateLayers.add(i);
        continue;
      }
      Optional<SbomFormat> f = SbomTypes.formatOfPredicateType(declared);
      if (f.isPresent()) {
        sbomPredicateLayers.add(i);
        predicateFormat = predicateFormat == null ? f.get() : predicateFormat;
        predicateType = predicateType == null ? declared : predicateType;
      }
    }
    if (!sbomPredicateLayers.isEmpty()) {
      return new Recognition(Recognition.Verdict.SBOM, predicateFormat, sbomPredicateLayers,
          "attestation with predicate type " + predicateType);
    }
    if (!unknownPredicateLayers.isEmpty()) {
      return new Recognition(Recognition.Verdict.ATTESTATION, null, unknownPredicateLayers,
          "attestation without a predicate type annotation: the statement decides");
    }

    if (SbomTypes.isLegacyCosignSbomTag(artifact.tag())) {
      return new Recognition(Recognition.Verdict.SBOM, null, allLayers(layers), "cosign legacy SBOM tag " + artifact.tag());
    }

    List<Integer> generic = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      if (SbomTypes.isGenericMediaType(layers.get(i).mediaType())) {
        generic.add(i);
      }
    }
    boolean genericArtifact = SbomTypes.isGenericMediaType(artifact.artifactType());
    if (!generic.isEmpty()) {
      return new Recognition(Recognition.Verdict.CANDIDATE, null, generic,
          "generic layer media type " + layers.get(generic.get(0)).mediaType() + ": content decides");
    }
    if (genericArtifact && !layers.isEmpty()) {
      return new Recognition(Recognition.Verdict.CANDIDATE, null, allLayers(layers),
          "generic artifactType " + artifact.artifactType() + ": content decides");
    }
    return new Recognition(Recognition.Verdict.NOT_SBOM, null, List.of(), "no SBOM media type, predicate type or tag");
  }

  private static boolean isUntyped(ArtifactDescription.Layer layer) {
    return layer.mediaType() == null || SbomTypes.isGenericMediaType(layer.mediaType());
  }

  private static String predicateTypeOf(ArtifactDescription.Layer layer) {
    for (String key : SbomTypes.PREDICATE_TYPE_ANNOTATIONS) {
      String v = layer.annotations().get(key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** For an artifact typed as an SBOM: its SBOM-typed or generic layers, else all of them. */
  private static List<Integer> contentLayers(List<ArtifactDescription.Layer> layers) {
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      String mt = layers.get(i).mediaType();
      if (SbomTypes.formatOfMediaType(mt).isPresent() || SbomTypes.isGenericMediaType(mt)
          || SbomTypes.isAttestationMediaType(mt) || mt == null) {
        picked.add(i);
      }
    }
    return picked.isEmpty() ? allLayers(layers) : picked;
  }

  private static List<Integer> allLayers(List<ArtifactDescription.Layer> layers) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      all.add(i);
    }
    return all;
  }
}
