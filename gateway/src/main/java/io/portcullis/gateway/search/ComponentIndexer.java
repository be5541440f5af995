package io.portcullis.gateway.search;

import io.portcullis.gateway.gate.Evidence;
import io.portcullis.gateway.gate.EvidenceGatherer;
import io.portcullis.sbom.index.ComponentIndexRow;
import io.portcullis.sbom.index.SbomIndexer;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.IndexedComponent;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes the components of an SBOM when it is pushed (as a referrer, or under cosign's
 * {@code sha256-<hex>.sbom} tag), once, so that "which images contain X?" is an index lookup.
 */
public final class ComponentIndexer {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentIndexer.class);
  private final Storage storage;
  private final EvidenceGatherer evidence;

  public ComponentIndexer(Storage storage, EvidenceGatherer evidence) {
    this.storage = storage;
    this.evidence = evidence;
  }

  /** Called after a manifest is stored; does nothing unless it carries SBOMs about a subject. */
  public void manifestPushed(String repository, Digest digest, Manifest manifest, List<String> tags) {
    Digest subject = manifest.subject() != null ? manifest.subject().digest() : subjectOfSbomTag(tags);
    if (subject == null) return;
    try {
      List<Evidence.AttachedSbom> sboms = evidence.sbomsOf(repository, digest);
      if (sboms.isEmpty()) return;
      List<IndexedComponent> rows = new ArrayList<>();
      for (Evidence.AttachedSbom s : sboms) {
        for (ComponentIndexRow r : SbomIndexer.rows(s.document())) {
          List<String> licenses = r.licenseIds().stream().map(SbomIndexer::licenseKey).toList();
          rows.add(new IndexedComponent(r.purlBase(), r.purl(), r.name(), r.version(), licenses, r.rawPurl()));
        }
      }
      storage.metadata().indexComponents(repository, subject, digest, rows);
    } catch (RuntimeException e) {
      // The push itself succeeded; an SBOM that cannot be indexed is logged, not an error for the client.
      LOG.warn("cannot index the SBOM {} in {}: {}", digest, repository, e.toString());
    }
  }

  private static Digest subjectOfSbomTag(List<String> tags) {
    for (String t : tags) {
      String lower = t.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".sbom") && lower.startsWith("sha256-")) {
        try {
          return Digest.parse("sha256:" + t.substring("sha256-".length(), t.length() - ".sbom".length()));
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }
}
