package io.portcullis.gateway.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.Caller;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.sbom.index.PackageUrlKey;
import io.portcullis.sbom.index.SbomIndexer;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.ComponentMatch;
import io.portcullis.storage.meta.ComponentQuery;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/_portcullis/ext/search/components?purl=...} (with or without a version), or
 * {@code ?name=&version=}, or {@code ?license=}: the repositories, subject digests and tags whose attached
 * SBOMs contain the component, in (repository, digest) order, {@code n} per page (default 100, at most
 * 1000) with a {@code Link} to the next. Only repositories the caller may read are listed.
 */
public final class ComponentSearchHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;

  public ComponentSearchHandler(Storage storage) { this.storage = storage; }

  public void search(Context ctx) {
    ComponentQuery query = query(ctx);
    int n = pageSize(ctx);
    Caller caller = Caller.of(ctx);
    List<ComponentMatch> page = new ArrayList<>();
    String cursor = ctx.queryParam("last");
    boolean more = false;
    // Fetch past matches the caller may not read until the page is full.
    while (page.size() <= n) {
      List<ComponentMatch> batch = storage.metadata().searchComponents(query, cursor, n + 1);
      for (ComponentMatch m : batch) {
        cursor = m.cursor();
        if (!caller.may(m.repository(), Action.READ)) continue;
        if (page.size() == n) {
          more = true;
          break;
        }
        page.add(m);
      }
      if (more || batch.size() < n + 1) break;
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode results = body.putArray("results");
    for (ComponentMatch m : page) {
      ObjectNode r = results.addObject();
      r.put("repository", m.repository());
      r.put("digest", m.subject().toString());
      storage.metadata().tagsOf(m.repository(), m.subject()).forEach(r.putArray("tags")::add);
    }
    if (more) {
      StringBuilder next = new StringBuilder("/v2/_portcullis/ext/search/components?n=").append(n);
      for (String p : new String[] {"purl", "name", "version", "license"}) {
        if (ctx.queryParam(p) != null) next.append('&').append(p).append('=').append(URLEncoder.encode(ctx.queryParam(p), StandardCharsets.UTF_8));
      }
      next.append("&last=").append(URLEncoder.encode(page.get(page.size() - 1).cursor(), StandardCharsets.UTF_8));
      ctx.header("Link", "<" + next + ">; rel=\"next\"");
    }
    ctx.contentType("application/json").result(body.toString());
  }

  private static ComponentQuery query(Context ctx) {
    String purl = ctx.queryParam("purl");
    String name = ctx.queryParam("name");
    String license = ctx.queryParam("license");
    int given = (purl != null ? 1 : 0) + (name != null ? 1 : 0) + (license != null ? 1 : 0);
    if (given != 1) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "give exactly one of purl, name (with an optional version) or license").withStatus(400);
    }
    if (purl != null) {
      PackageUrlKey key = PackageUrlKey.of(purl.replace(' ', '+'));
      if (key == null) throw RegistryException.of(ErrorCode.UNSUPPORTED, "not a package URL: " + purl, Map.of("purl", purl)).withStatus(400);
      return key.versioned() != null ? ComponentQuery.purl(key.versioned()) : ComponentQuery.purlBase(key.base());
    }
    if (name != null) return ComponentQuery.name(SbomIndexer.nameKey(name), ctx.queryParam("version"));
    return ComponentQuery.license(SbomIndexer.licenseKey(license));
  }

  private static int pageSize(Context ctx) {
    String v = ctx.queryParam("n");
    if (v == null) return 100;
    try {
      return (int) Math.max(1, Math.min(1000, Long.parseLong(v)));
    } catch (NumberFormatException e) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "n must be a number").withStatus(400);
    }
  }
}
