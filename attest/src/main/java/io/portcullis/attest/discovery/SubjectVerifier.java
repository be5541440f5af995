package io.portcullis.attest.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.bundle.SigstoreBundleVerifier;
import io.portcullis.attest.cosign.CosignLayerVerifier;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.cosign.SimpleSigningPayload;
import io.portcullis.attest.dsse.DsseVerifier;
import io.portcullis.attest.report.EvidenceKind;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.Scheme;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.report.VerificationReport;
import io.portcullis.attest.trust.TrustPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Verifies everything attached to a subject digest under a list of trust policies and produces the
 * {@link VerificationReport}. Each layer of each evidence artifact is one entry: it counts as
 * verified when any policy verifies it. Never throws on bad evidence. Thread-safe.
 *
 * <p>Gateway use: {@code new SubjectVerifier(VerificationLimits.DEFAULT, 10_000).verify(source, "team/app",
 * "sha256:...", policies)}.
 */
public final class SubjectVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final VerificationLimits limits;
  private final VerificationCache cache;

  public SubjectVerifier(VerificationLimits limits, int cacheEntries) {
    this.limits = limits;
    this.cache = new VerificationCache(cacheEntries);
  }

  public VerificationCache cache() {
    return cache;
  }

  public VerificationReport verify(ArtifactSource source, String repository, String subjectDigest,
      List<TrustPolicy> policies) {
    List<VerificationEntry> entries = new ArrayList<>();
    EvidenceCollector.Collected found = EvidenceCollector.collect(source, repository, subjectDigest, limits);
    String revisions = policies.stream().map(p -> p.name() + "@" + p.revision()).collect(Collectors.joining(","));
    for (EvidenceArtifact a : found.artifacts()) {
      entries.addAll(verifyArtifact(source, repository, subjectDigest, a, policies, revisions));
    }
    for (String big : found.oversized()) {
      entries.add(VerificationEntry.builder(EvidenceKind.SIGNATURE, Scheme.COSIGN_SIMPLE_SIGNING).artifactDigest(big)
          .fail(Reason.TOO_LARGE, "evidence manifest " + big + " exceeds " + limits.maxManifestBytes() + " bytes"));
    }
    if (found.leftOut() > 0) {
      entries.add(VerificationEntry.builder(EvidenceKind.SIGNATURE, Scheme.COSIGN_SIMPLE_SIGNING)
          .fail(Reason.LIMIT_EXCEEDED, found.leftOut() + " further evidence artifacts were not considered (limit "
              + limits.maxArtifacts() + ")"));
    }
    return VerificationReport.of(subjectDigest, entries);
  }

  private List<VerificationEntry> verifyArtifact(ArtifactSource source, String repository, String subject,
      EvidenceArtifact artifact, List<TrustPolicy> policies, String revisions) {
    JsonNode manifest;
    try {
      manifest = JSON.readTree(artifact.manifest());
    } catch (IOException e) {
      return List.of(failure(artifact, Reason.MALFORMED, "evidence manifest is not JSON"));
    }
    List<VerificationEntry> out = new ArrayList<>();
    int index = 0;
    for (JsonNode layer : manifest.path("layers")) {
      if (index >= limits.maxLayersPerArtifact()) {
        out.add(failure(artifact, Reason.LIMIT_EXCEEDED, "more layers than " + limits.maxLayersPerArtifact()));
        break;
      }
      VerificationCache.Key key = new VerificationCache.Key(subject, artifact.digest(), index++, revisions);
      List<VerificationEntry> cached = cache.get(key);
      if (cached != null) {
        out.addAll(cached);
        continue;
      }
      VerificationEntry e = verifyLayer(source, repository, subject, artifact, layer, policies);
      cache.put(key, List.of(e));
      out.add(e);
    }
    if (index == 0) {
      out.add(failure(artifact, Reason.MALFORMED, "evidence manifest has no layers"));
    }
    return out;
  }

  private VerificationEntry verifyLayer(ArtifactSource source, String repository, String subject,
      EvidenceArtifact artifact, JsonNode layer, List<TrustPolicy> policies) {
    String mediaType = layer.path("mediaType").asText("");
    String digest = layer.path("digest").asText("");
    long size = layer.path("size").asLong(-1);
    if (size > limits.maxPayloadBytes()) {
      return failure(artifact, Reason.TOO_LARGE, "layer of " + size + " bytes exceeds " + limits.maxPayloadBytes());
    }
    byte[] blob;
    try (InputStream in = source.blob(repository, digest)) {
      blob = in.readNBytes((int) limits.maxPayloadBytes() + 1);
    } catch (IOException | RuntimeException e) {
      return failure(artifact, Reason.FETCH_FAILED, "cannot read layer " + digest + ": " + e.getMessage());
    }
    if (blob.length > limits.maxPayloadBytes()) {
      return failure(artifact, Reason.TOO_LARGE, "layer exceeds " + limits.maxPayloadBytes() + " bytes");
    }
    if (!contentDigest(blob, digest).equals(digest)) {
      return failure(artifact, Reason.MALFORMED, "layer content does not match its digest " + digest);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    layer.path("annotations").fields().forEachRemaining(f -> annotations.put(f.getKey(), f.getValue().asText()));
    VerificationEntry best = null;
    for (TrustPolicy policy : policies) {
      VerificationEntry e = verifyWith(mediaType, blob, annotations, subject, artifact.digest(), policy);
      if (e.verified()) {
        return e;
      }
      if (best == null || best.reason() == Reason.NO_TRUST_CONFIGURED) {
        best = e;
      }
    }
    return best != null ? best : failure(artifact, Reason.NO_TRUST_CONFIGURED, "no trust policies configured");
  }

  private VerificationEntry verifyWith(String mediaType, byte[] blob, Map<String, String> annotations, String subject,
      String artifactDigest, TrustPolicy policy) {
    if (mediaType.equals(SimpleSigningPayload.MEDIA_TYPE) || mediaType.equals(SignatureLayer.DSSE_MEDIA_TYPE)) {
      return CosignLayerVerifier.verify(new SignatureLayer(mediaType, blob, annotations, artifactDigest), subject,
          policy, limits.maxPayloadBytes());
    }
    if (mediaType.startsWith("application/vnd.dev.sigstore.bundle")) {
      return SigstoreBundleVerifier.verify(blob, ArtifactExpectation.ofDigest(subject), policy, artifactDigest,
          limits.maxPayloadBytes());
    }
    if (mediaType.equals("application/vnd.in-toto+json")) {
      return DsseVerifier.verify(blob, annotations, ArtifactExpectation.ofDigest(subject), policy, artifactDigest,
          limits.maxPayloadBytes());
    }
    return VerificationEntry.builder(EvidenceKind.SIGNATURE, Scheme.COSIGN_SIMPLE_SIGNING).artifactDigest(artifactDigest)
        .policy(policy.name()).fail(Reason.NOT_A_SIGNATURE, "layer media type " + mediaType + " is not evidence");
  }

  private static VerificationEntry failure(EvidenceArtifact a, Reason r, String detail) {
    EvidenceKind kind = a.origin() == EvidenceArtifact.Origin.ATTESTATION_TAG ? EvidenceKind.ATTESTATION : EvidenceKind.SIGNATURE;
    Scheme scheme = kind == EvidenceKind.ATTESTATION ? Scheme.DSSE : Scheme.COSIGN_SIMPLE_SIGNING;
    return VerificationEntry.builder(kind, scheme).artifactDigest(a.digest()).fail(r, detail);
  }

  /** The digest of the content in the algorithm the expected digest names (sha256 or sha512). */
  private static String contentDigest(byte[] data, String expected) {
    String alg = expected.startsWith("sha512:") ? "sha512" : "sha256";
    try {
      MessageDigest md = MessageDigest.getInstance(alg.equals("sha512") ? "SHA-512" : "SHA-256");
      return alg + ":" + HexFormat.of().formatHex(md.digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
