package io.portcullis.gateway.distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.http.DigestParameter;
import io.portcullis.gateway.http.RegistryUrls;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.MediaTypes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/referrers/<digest>}: an image index of the manifests whose subject is the
 * digest; empty (never 404) when there are none. Filtered by {@code artifactType}; paged with
 * {@code Link} when long.
 */
public final class ReferrersHandler {
  /** Descriptors per page; keeps the index well under the 4 MiB manifest limit. */
  public static final int PAGE_SIZE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Storage storage;

  public ReferrersHandler(Storage storage) { this.storage = storage; }

  public void list(Context ctx) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    Digest subject = DigestParameter.parse(ctx.pathParam("digest"));
    String artifactType = ctx.queryParam("artifactType");
    // Media types never contain spaces: a space here is a '+' that a client left unencoded.
    if (artifactType != null) artifactType = artifactType.replace(' ', '+');
    List<StoredManifest> referrers = storage.metadata().referrers(repository, subject);
    if (artifactType != null && !artifactType.isEmpty()) {
      String wanted = artifactType;
      referrers = referrers.stream().filter(m -> wanted.equals(m.artifactType())).toList();
      ctx.header("OCI-Filters-Applied", "artifactType");
    }
    int start = 0;
    String last = ctx.queryParam("last");
    if (last != null) {
      for (int i = 0; i < referrers.size(); i++) {
        if (referrers.get(i).digest().toString().equals(last)) start = i + 1;
      }
    }
    int end = Math.min(referrers.size(), start + PAGE_SIZE);
    if (end < referrers.size()) {
      String next = RegistryUrls.referrers(repository, subject) + "?last=" + referrers.get(end - 1).digest()
          + (artifactType == null ? "" : "&artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8));
      ctx.header("Link", "<" + next + ">; rel=\"next\"");
    }
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (StoredManifest m : referrers.subList(start, end)) {
      ObjectNode d = manifests.addObject();
      d.put("mediaType", m.mediaType());
      d.put("digest", m.digest().toString());
      d.put("size", m.size());
      if (m.artifactType() != null) d.put("artifactType", m.artifactType());
      if (!m.annotations().isEmpty()) {
        ObjectNode a = d.putObject("annotations");
        for (Map.Entry<String, String> e : m.annotations().entrySet()) a.put(e.getKey(), e.getValue());
      }
    }
    ctx.contentType(MediaTypes.OCI_INDEX).result(index.toString());
  }
}
