package io.portcullis.gateway.distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.http.Pagination;
import io.portcullis.gateway.http.RegistryUrls;
import io.portcullis.storage.Storage;
import java.util.List;

/** {@code GET /v2/_catalog}: repository names in lexical order, paginated with {@code n} and {@code last}. */
public final class CatalogHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;

  public CatalogHandler(Storage storage) { this.storage = storage; }

  public void list(Context ctx) {
    Pagination page = Pagination.from(ctx);
    List<String> fetched = page.limit() == 0 ? List.of() : storage.metadata().repositories(page.last(), page.limit() + 1);
    List<String> names = page.page(fetched, ctx, RegistryUrls.catalog());
    ObjectNode body = JSON.createObjectNode();
    names.forEach(body.putArray("repositories")::add);
    ctx.contentType("application/json").result(body.toString());
  }
}
