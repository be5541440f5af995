package io.portcullis.gateway.http;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code n}/{@code last} pagination of tag and catalog lists. A page holds at most {@link #MAX_PAGE}
 * entries whatever {@code n} asks; when more remain, a {@code Link: <...>; rel="next"} header says where.
 *
 * @param limit the page size to use
 * @param last the exclusive starting point, or null
 */
public record Pagination(int limit, String last) {
  public static final int MAX_PAGE = 10_000;
  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]+");

  public static Pagination from(Context ctx) {
    return of(ctx.queryParam("n"), ctx.queryParam("last"));
  }

  /** The page asked for by the query parameters {@code n} and {@code last} (each possibly null); 400 when n is not a count. */
  public static Pagination of(String n, String last) {
    int limit = MAX_PAGE;
    if (n != null && !n.isEmpty()) {
      // Any run of digits is a page size, however long (more than MAX_PAGE is MAX_PAGE); anything else is 400.
      if (!DIGITS.matcher(n).matches()) {
        throw RegistryException.of(ErrorCode.UNSUPPORTED, "n must be a non-negative integer", java.util.Map.of("n", n)).withStatus(400);
      }
      String significant = n.replaceFirst("^0+(?=.)", "");
      limit = significant.length() > 9 ? MAX_PAGE : Math.min(Integer.parseInt(significant), MAX_PAGE);
    }
    return new Pagination(limit, last == null || last.isEmpty() ? null : last);
  }

  /**
   * Trims a list fetched with {@code limit + 1} entries to the page and, when it was longer, sets the
   * Link header for the next page.
   */
  public List<String> page(List<String> fetched, Context ctx, String path) {
    if (limit == 0) return List.of();
    if (fetched.size() <= limit) return fetched;
    List<String> page = fetched.subList(0, limit);
    String next = path + "?n=" + limit + "&last=" + URLEncoder.encode(page.get(page.size() - 1), StandardCharsets.UTF_8);
    ctx.header("Link", "<" + next + ">; rel=\"next\"");
    return page;
  }
}
