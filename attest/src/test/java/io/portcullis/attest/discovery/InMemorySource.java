package io.portcullis.attest.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A tiny in-memory registry for one repository: manifests by tag and digest, blobs, subject index. */
final class InMemorySource implements ArtifactSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  final Map<String, byte[]> manifests = new HashMap<>();
  final Map<String, byte[]> blobs = new HashMap<>();
  final Map<String, List<ReferrerDescriptor>> referrers = new HashMap<>();
  int blobReads;

  String putManifest(String tag, byte[] m) throws Exception {
    String d = Fixtures.sha256(m);
    manifests.put(d, m);
    if (tag != null) {
      manifests.put(tag, m);
    }
    JsonNode n = JSON.readTree(m);
    if (n.has("subject")) {
      Map<String, String> ann = new LinkedHashMap<>();
      n.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      referrers.computeIfAbsent(n.path("subject").path("digest").asText(), k -> new ArrayList<>())
          .add(new ReferrerDescriptor(n.path("mediaType").asText(), d, m.length,
              n.path("artifactType").asText(n.path("config").path("mediaType").asText()), ann));
    }
    return d;
  }

  String putBlob(byte[] b) throws Exception {
    String d = Fixtures.sha256(b);
    blobs.put(d, b);
    return d;
  }

  @Override
  public Optional<byte[]> manifest(String repository, String reference) {
    return Optional.ofNullable(manifests.get(reference));
  }

  @Override
  public InputStream blob(String repository, String digest) throws IOException {
    byte[] b = blobs.get(digest);
    if (b == null) {
      throw new IOException("blob unknown: " + digest);
    }
    blobReads++;
    return new ByteArrayInputStream(b);
  }

  @Override
  public List<ReferrerDescriptor> referrers(String repository, String subjectDigest) {
    return referrers.getOrDefault(subjectDigest, List.of());
  }
}
