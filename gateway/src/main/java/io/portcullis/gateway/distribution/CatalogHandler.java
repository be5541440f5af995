package io.portcullis.gateway.distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.Caller;
import io.portcullis.gateway.http.Pagination;
import io.portcullis.gateway.http.RegistryUrls;
import io.portcullis.storage.Storage;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v2/_catalog}: names of the repositories the caller may read, in lexical order, paginated with {@code n} and {@code last}. */
public final class CatalogHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;

  public CatalogHandler(Storage storage) { this.storage = storage; }

  public void list(Context ctx) {
    Pagination page = Pagination.from(ctx);
    List<String> fetched = page.limit() == 0 ? List.of() : readable(Caller.of(ctx), page.last(), page.limit() + 1);
    List<String> names = page.page(fetched, ctx, RegistryUrls.catalog());
    ObjectNode body = JSON.createObjectNode();
    names.forEach(body.putArray("repositories")::add);
    ctx.contentType("application/json").result(body.toString());
  }

  /** Up to {@code wanted} repository names after {@code last} that the caller may read. */
  private List<String> readable(Caller caller, String last, int wanted) {
    List<String> out = new ArrayList<>();
    String after = last;
    while (out.size() < wanted) {
      List<String> batch = storage.metadata().repositories(after, Math.max(wanted, 100));
      for (String name : batch) {
        if (caller.may(name, Action.READ)) out.add(name);
        if (out.size() == wanted) break;
      }
      if (batch.size() < Math.max(wanted, 100)) break;
      after = batch.get(batch.size() - 1);
    }
    return out;
  }
}
