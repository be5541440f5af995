package io.portcullis.gateway.gate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.attest.discovery.SubjectVerifier;
import io.portcullis.attest.discovery.VerificationLimits;
import io.portcullis.attest.report.VerificationReport;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.sbom.parse.SbomParseResult;
import io.portcullis.sbom.parse.SbomParser;
import io.portcullis.sbom.recognize.ArtifactDescription;
import io.portcullis.sbom.recognize.Recognition;
import io.portcullis.sbom.recognize.SbomRecognizer;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Descriptor;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.InvalidManifestException;
import io.portcullis.storage.model.Manifest;
import io.portcullis.storage.model.ManifestParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds what is attached to a subject in a repository (OCI 1.1 referrers and cosign's
 * {@code sha256-<hex>.sig/.att/.sbom} tags), verifies signatures and attestations with {@code attest},
 * and parses SBOMs with {@code sbom}. Parsed SBOMs are cached by the digest of the artifact that carries
 * them (content-addressed, so never stale).
 */
public final class EvidenceGatherer {
  private static final SbomRecognizer RECOGNIZER = new SbomRecognizer();

  private final Storage storage;
  private final StorageArtifactSource source;
  private final SubjectVerifier verifier;
  private final SbomParser parser = new SbomParser();
  private final Cache<String, SbomOutcome> sbomCache;

  /** The result of reading one SBOM artifact: documents, or why none. */
  private record SbomOutcome(List<Evidence.AttachedSbom> documents, List<String> failures) {}

  public EvidenceGatherer(Storage storage, int cacheEntries) {
    this.storage = storage;
    this.source = new StorageArtifactSource(storage);
    this.verifier = new SubjectVerifier(VerificationLimits.DEFAULT, Math.max(cacheEntries, 16));
    this.sbomCache = Caffeine.newBuilder().maximumSize(Math.max(cacheEntries, 16)).build();
  }

  public StorageArtifactSource source() { return source; }

  /**
   * A fingerprint of the evidence attached to the subject: changes whenever a referrer or a cosign tag
   * is added, removed or moved, so decisions cached under it are never stale.
   */
  public String fingerprint(String repository, Digest subject) {
    String prefix = subject.algorithm() + "-" + subject.hex();
    TreeSet<String> parts = new TreeSet<>(storage.metadata().attachedKeys(repository, subject,
        List.of(prefix + ".sig", prefix + ".att", prefix + ".sbom")));
    return Digest.sha256(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
  }

  public Evidence gather(String repository, Digest subject, List<TrustPolicy> trust) {
    VerificationReport report = verifier.verify(source, repository, subject.toString(), trust);
    List<Evidence.AttachedSbom> sboms = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<Digest> candidates = new ArrayList<>();
    for (StoredManifest m : storage.metadata().referrers(repository, subject)) candidates.add(m.digest());
    for (String suffix : new String[] {".sbom", ".att"}) {
      storage.metadata().resolveTag(repository, subject.algorithm() + "-" + subject.hex() + suffix).ifPresent(candidates::add);
    }
    for (Digest artifact : candidates) {
      SbomOutcome outcome = sbomCache.get(artifact.toString(), k -> readSboms(repository, artifact));
      sboms.addAll(outcome.documents());
      failures.addAll(outcome.failures());
    }
    return new Evidence(report, sboms, failures);
  }

  /** The SBOM documents an artifact of the repository carries (cached); empty when it carries none. */
  public List<Evidence.AttachedSbom> sbomsOf(String repository, Digest artifact) {
    return sbomCache.get(artifact.toString(), k -> readSboms(repository, artifact)).documents();
  }

  /** Reads the SBOMs an artifact carries; none when it is not an SBOM artifact. */
  private SbomOutcome readSboms(String repository, Digest artifact) {
    Optional<byte[]> bytes = source.manifest(repository, artifact.toString());
    if (bytes.isEmpty()) return new SbomOutcome(List.of(), List.of());
    Manifest m;
    try {
      m = ManifestParser.parse(bytes.get(), null);
    } catch (InvalidManifestException e) {
      return new SbomOutcome(List.of(), List.of());
    }
    List<ArtifactDescription.Layer> layers = new ArrayList<>();
    for (Descriptor d : m.layers()) layers.add(new ArtifactDescription.Layer(d.mediaType(), d.annotations()));
    List<String> tags = storage.metadata().tagsOf(repository, artifact);
    String tag = tags.stream().filter(t -> t.startsWith("sha256-")).findFirst().orElse(null);
    Recognition r = RECOGNIZER.recognize(new ArtifactDescription(m.artifactType(), m.config() == null ? null : m.config().mediaType(), layers, tag));
    if (!r.worthParsing()) return new SbomOutcome(List.of(), List.of());
    List<Integer> which = r.layers().isEmpty() ? java.util.stream.IntStream.range(0, m.layers().size()).boxed().toList() : r.layers();
    List<Evidence.AttachedSbom> docs = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i : which) {
      Descriptor layer = m.layers().get(i);
      if (layer.size() > parser.limits().maxBytes()) {
        failures.add(artifact + ": layer " + layer.digest() + " is larger than the SBOM size limit");
        continue;
      }
      try (InputStream in = source.blob(repository, layer.digest().toString())) {
        SbomParseResult result = parser.parse(in, layer.mediaType());
        if (result instanceof SbomParseResult.Parsed p) {
          docs.add(Evidence.AttachedSbom.of(artifact.toString(), p.document()));
        } else if (result instanceof SbomParseResult.Failed f && r.verdict() == Recognition.Verdict.SBOM) {
          failures.add(artifact + ": " + f.reason());
        }
      } catch (IOException e) {
        failures.add(artifact + ": cannot read layer " + layer.digest() + ": " + e.getMessage());
      }
    }
    return new SbomOutcome(docs, failures);
  }
}
