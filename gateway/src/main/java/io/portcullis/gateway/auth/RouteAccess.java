package io.portcullis.gateway.auth;

import io.javalin.security.RouteRole;

/** What a route needs from the caller; every route in {@code Routes} declares one. */
public enum RouteAccess implements RouteRole {
  /** {@code GET /v2/}: any caller who could use the registry at all. */
  PING,
  /** {@code GET /v2/_catalog}: answered with the repositories the caller may read. */
  CATALOG,
  /** Read the repository named in the path. */
  READ,
  /** Push to the repository (create; moving an existing tag is checked again as update). */
  WRITE,
  /** Delete from the repository. */
  DELETE,
  /** Any logged-in caller (anyone, when authentication is off); the handler checks repositories itself. */
  AUTHENTICATED,
  /** Administrators only (anyone, when authentication is off). */
  ADMIN,
  /** No check: the endpoint authenticates by itself (the token endpoint). */
  OPEN
}
