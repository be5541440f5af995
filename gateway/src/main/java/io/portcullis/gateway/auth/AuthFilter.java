package io.portcullis.gateway.auth;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before every matched route: authenticates the caller (htpasswd credentials, a bearer token, or
 * a verified TLS client certificate when the request carries no {@code Authorization} header), then
 * checks the route's {@link RouteAccess} against the access policy. An anonymous caller who is refused
 * gets {@code 401} with a challenge, so that clients log in; an authenticated one gets
 * {@code 403 DENIED}. The settings are read afresh for every request, so a reload applies at once.
 */
public final class AuthFilter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

  private final Supplier<AuthSettings> live;
  private final TokenService tokens;
  private final ClientCertificates.Field certificateIdentity;

  /**
   * @param certificateIdentity which part of a verified client certificate names the user; null when
   *     client certificates are not used
   */
  public AuthFilter(Supplier<AuthSettings> settings, TokenService tokens, ClientCertificates.Field certificateIdentity) {
    this.live = settings;
    this.tokens = tokens;
    this.certificateIdentity = certificateIdentity;
  }

  public void handle(Context ctx) {
    AuthSettings settings = live.get();
    if (!settings.enabled()) return;
    RouteAccess need = required(ctx);
    if (need == RouteAccess.OPEN) return;
    Caller caller = authenticate(ctx, settings);
    caller.attachTo(ctx);
    switch (need) {
      case PING -> {
        // Clients learn the authentication scheme from this challenge; without it they never send credentials.
        if (caller.identity().anonymous()) throw challenge(ctx, null, null);
      }
      case CATALOG -> {
        if (caller.identity().anonymous() && !caller.policy().anonymousReadPossible()) throw challenge(ctx, null, null);
      }
      case READ -> require(ctx, caller, Action.READ);
      case WRITE -> {
        String repository = RepositoryName.validate(ctx.pathParam("name"));
        if (!caller.may(repository, Action.CREATE) && !caller.may(repository, Action.UPDATE)) throw refuse(ctx, caller, repository, Action.CREATE);
      }
      case DELETE -> require(ctx, caller, Action.DELETE);
      case AUTHENTICATED -> {
        if (caller.identity().anonymous()) throw challenge(ctx, null, null);
      }
      case ADMIN -> {
        if (caller.identity().anonymous()) throw challenge(ctx, null, null);
        if (!caller.policy().admins().contains(caller.identity().name())) {
          throw RegistryException.of(ErrorCode.DENIED, "only administrators may use this endpoint");
        }
      }
      default -> { }
    }
  }

  private static RouteAccess required(Context ctx) {
    for (RouteRole role : ctx.routeRoles()) {
      if (role instanceof RouteAccess access) return access;
    }
    // A route without a declared access is a programming error: refuse rather than serve it openly.
    throw RegistryException.of(ErrorCode.DENIED, "this endpoint declares no access rule");
  }

  private void require(Context ctx, Caller caller, Action action) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    if (!caller.may(repository, action)) throw refuse(ctx, caller, repository, action);
  }

  /** 401 with a challenge for anonymous callers (they may log in), 403 for authenticated ones. */
  public RegistryException refuse(Context ctx, Caller caller, String repository, Action action) {
    if (caller.identity().anonymous()) return challenge(ctx, repository, action);
    return RegistryException.of(ErrorCode.DENIED, "user '" + caller.identity().name() + "' may not " + action.label() + " repository " + repository,
        Map.of("repository", repository, "action", action.label()));
  }

  private Caller authenticate(Context ctx, AuthSettings settings) {
    String header = ctx.header("Authorization");
    boolean tokenMode = settings.mode() == AuthSettings.Mode.TOKEN;
    if (header == null || header.isBlank()) {
      // A certificate verified during the TLS handshake proves as much as a token would.
      Optional<Identity> certified = certificateUser(ctx, settings);
      if (certified.isPresent()) return new Caller(certified.get(), settings.policy(), Optional.empty(), false);
      return new Caller(Identity.ANONYMOUS, settings.policy(), Optional.empty(), tokenMode);
    }
    if (tokenMode) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) throw challenge(ctx, null, null);
      Optional<TokenService.Grant> grant = tokens.verify(header.substring(7).trim());
      if (grant.isEmpty()) {
        throw challenge(ctx, null, null).withHeader("WWW-Authenticate", bearerChallenge(ctx, null, null) + ",error=\"invalid_token\"");
      }
      // The groups are those configured now, not those the token was issued with (a reload applies at once).
      Identity holder = grant.get().identity();
      Identity who = holder.anonymous() ? Identity.ANONYMOUS : settings.identityOf(holder.name());
      return new Caller(who, settings.policy(), grant, true);
    }
    Optional<Identity> who = checkBasic(header);
    if (who.isEmpty()) throw badCredentials(ctx);
    return new Caller(who.get(), settings.policy(), Optional.empty(), false);
  }

  /**
   * Checks {@code Authorization: Basic ...} against the htpasswd users; a wrong password is delayed.
   * Empty when the header is not valid Basic credentials.
   */
  public Optional<Identity> checkBasic(String header) {
    AuthSettings settings = live.get();
    if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) return Optional.empty();
    String user = decoded.substring(0, colon);
    if (settings.users().verify(user, decoded.substring(colon + 1))) return Optional.of(settings.identityOf(user));
    delayFailedLogin(user);
    return Optional.empty();
  }

  /** Logs a failed login (never the password) and slows the caller down. */
  public void delayFailedLogin(String user) {
    AuthSettings settings = live.get();
    LOG.warn("failed login for user '{}'", user.length() > 64 ? user.substring(0, 64) + "..." : user);
    try {
      Thread.sleep(settings.failedLoginDelay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public RegistryException badCredentials(Context ctx) {
    AuthSettings settings = live.get();
    return RegistryException.of(ErrorCode.UNAUTHORIZED, "invalid user name or password")
        .withHeader("WWW-Authenticate", settings.mode() == AuthSettings.Mode.TOKEN ? bearerChallenge(ctx, null, null) : basicChallenge());
  }

  /** The user named by the request's verified client certificate, when there is one and it names a user. */
  public Optional<Identity> certificateUser(Context ctx, AuthSettings settings) {
    if (certificateIdentity == null) return Optional.empty();
    return ClientCertificates.of(ctx).flatMap(c -> ClientCertificates.userOf(c, certificateIdentity)).map(settings::identityOf);
  }

  private RegistryException challenge(Context ctx, String repository, Action action) {
    AuthSettings settings = live.get();
    String header = settings.mode() == AuthSettings.Mode.TOKEN ? bearerChallenge(ctx, repository, action) : basicChallenge();
    String message = repository == null ? "authentication required" : "authentication required to " + action.label() + " " + repository;
    return RegistryException.of(ErrorCode.UNAUTHORIZED, message).withHeader("WWW-Authenticate", header);
  }

  private static String basicChallenge() { return "Basic realm=\"portcullis\", charset=\"UTF-8\""; }

  private String bearerChallenge(Context ctx, String repository, Action action) {
    AuthSettings settings = live.get();
    String realm = settings.tokenRealm() != null ? settings.tokenRealm()
        : ctx.scheme() + "://" + ctx.host() + "/v2/_portcullis/token";
    StringBuilder h = new StringBuilder("Bearer realm=\"").append(realm).append("\",service=\"").append(settings.tokenService()).append('"');
    if (repository != null) {
      String actions = switch (action) {
        case READ -> "pull";
        case CREATE, UPDATE -> "pull,push";
        case DELETE -> "delete";
      };
      h.append(",scope=\"repository:").append(repository).append(':').append(actions).append('"');
    }
    return h.toString();
  }
}
