package io.portcullis.gateway;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.portcullis.gateway.auth.RouteAccess;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import java.util.Map;

/** Refuses writes (pushes, deletes) to a read-only registry or repository with 405 UNSUPPORTED. */
final class ReadOnlyCheck {
  private ReadOnlyCheck() {}

  static void check(Context ctx, StorageSettings settings) {
    boolean writes = false;
    for (RouteRole role : ctx.routeRoles()) writes |= role == RouteAccess.WRITE || role == RouteAccess.DELETE;
    if (!writes) return;
    String repository = ctx.pathParam("name");
    if (settings.isReadOnly(repository)) {
      String where = settings.readOnly() ? "the registry is" : "repository " + repository + " is";
      throw RegistryException.of(ErrorCode.UNSUPPORTED, where + " read-only: pushes and deletes are refused", Map.of("repository", repository));
    }
  }
}
