package io.portcullis.gateway.auth;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The authenticated caller of one request: who, and (with token authentication) what the token grants.
 * Stored on the request for handlers and for the policy input.
 */
public record Caller(Identity identity, AccessPolicy policy, Optional<TokenService.Grant> grant, boolean tokenRequired) {
  private static final String ATTRIBUTE = "portcullis.caller";

  /** The caller of a registry with authentication off: anonymous, allowed everything. */
  public static final Caller UNRESTRICTED = new Caller(Identity.ANONYMOUS, AccessPolicy.OPEN, Optional.empty(), false);

  /** True when the configuration grants the action and, in token mode, the token grants it too. */
  public boolean may(String repository, Action action) {
    if (!policy.allows(identity, repository, action)) return false;
    if (!tokenRequired) return true;
    return grant.map(g -> g.allows(repository, action)).orElse(false);
  }

  /** Throws 403 DENIED unless the caller may do the action. */
  public void require(String repository, Action action) {
    if (may(repository, action)) return;
    String who = identity.anonymous() ? "an anonymous caller" : "user '" + identity.name() + "'";
    throw io.portcullis.gateway.http.RegistryException.of(io.portcullis.gateway.http.ErrorCode.DENIED,
        who + " may not " + action.label() + " repository " + repository,
        java.util.Map.of("repository", repository, "action", action.label()));
  }

  public void attachTo(Context ctx) { ctx.attribute(ATTRIBUTE, this); }

  /** The caller attached by the authentication filter (unrestricted when authentication is off). */
  public static Caller of(Context ctx) {
    Caller c = ctx.attribute(ATTRIBUTE);
    return c == null ? UNRESTRICTED : c;
  }
}
