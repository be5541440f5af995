package io.portcullis.gateway.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How callers prove who they are, and what each may do.
 *
 * @param mode NONE (anyone may do anything), BASIC (htpasswd credentials on every request) or TOKEN
 *     (bearer tokens from {@code /v2/_portcullis/token}, which takes htpasswd credentials)
 * @param groupsByUser the groups each user belongs to
 * @param tokenRealm the token endpoint URL to advertise; null to derive it from each request's Host
 * @param failedLoginDelay how long a wrong password is made to wait
 */
public record AuthSettings(
    Mode mode,
    Htpasswd users,
    Map<String, Set<String>> groupsByUser,
    AccessPolicy policy,
    String tokenRealm,
    String tokenService,
    Duration tokenTtl,
    Duration failedLoginDelay) {

  /** The three ways of running. */
  public enum Mode { NONE, BASIC, TOKEN }

  public static final AuthSettings NONE = new AuthSettings(Mode.NONE, Htpasswd.empty(), Map.of(), AccessPolicy.OPEN,
      null, "portcullis", Duration.ofMinutes(5), Duration.ofMillis(500));

  public AuthSettings {
    groupsByUser = Map.copyOf(groupsByUser);
  }

  public boolean enabled() { return mode != Mode.NONE; }

  public Identity identityOf(String user) { return Identity.user(user, groupsByUser.getOrDefault(user, Set.of())); }
}
