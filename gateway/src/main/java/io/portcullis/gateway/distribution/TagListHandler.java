package io.portcullis.gateway.distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.Pagination;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RegistryUrls;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.storage.Storage;
import java.util.List;
import java.util.Map;

/** {@code GET /v2/<name>/tags/list}: tags in lexical order, paginated with {@code n} and {@code last}. */
public final class TagListHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;

  public TagListHandler(Storage storage) { this.storage = storage; }

  public void list(Context ctx) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    if (!storage.metadata().repositoryExists(repository)) {
      throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "repository " + repository + " is not known", Map.of("name", repository));
    }
    Pagination page = Pagination.from(ctx);
    List<String> fetched = page.limit() == 0 ? List.of() : storage.metadata().tags(repository, page.last(), page.limit() + 1);
    List<String> tags = page.page(fetched, ctx, RegistryUrls.tagList(repository));
    ObjectNode body = JSON.createObjectNode();
    body.put("name", repository);
    tags.forEach(body.putArray("tags")::add);
    ctx.contentType("application/json").result(body.toString());
  }
}
