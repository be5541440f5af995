package io.portcullis.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How callers prove who they are, and what each may do.
 *
 * @param mode NONE (anyone may do anything), BASIC (htpasswd credentials on every request) or TOKEN
 *     (bearer tokens from {@code /v2/_portcullis/token}, which takes htpasswd credentials)
 * @param groupsByUser the groups each user belongs to
 * @param tokenRealm the token endpoint URL to advertise; null to derive it from each request's Host
 * @param failedLoginDelay how long a wrong password is made to wait
 * @param source the files these settings were read from, for reloading them when they change
 */
public record AuthSettings(
    Mode mode,
    Htpasswd users,
    Map<String, Set<String>> groupsByUser,
    AccessPolicy policy,
    String tokenRealm,
    String tokenService,
    Duration tokenTtl,
    Duration failedLoginDelay,
    Source source) {

  /** The three ways of running. */
  public enum Mode { NONE, BASIC, TOKEN }

  /**
   * Where the settings come from.
   *
   * @param configFile the configuration file whose {@code auth} section they are; null when built in code
   * @param htpasswdFile the htpasswd file named there; null when none
   * @param reloadInterval how often both are checked for changes; zero for never
   */
  public record Source(Path configFile, Path htpasswdFile, Duration reloadInterval) {
    public static final Source NONE = new Source(null, null, Duration.ZERO);

    public boolean reloadable() { return configFile != null && !reloadInterval.isZero() && !reloadInterval.isNegative(); }
  }

  public static final AuthSettings NONE = new AuthSettings(Mode.NONE, Htpasswd.empty(), Map.of(), AccessPolicy.OPEN,
      null, "portcullis", Duration.ofMinutes(5), Duration.ofMillis(500), Source.NONE);

  public AuthSettings {
    groupsByUser = Map.copyOf(groupsByUser);
    if (source == null) source = Source.NONE;
  }

  /** Settings built in code (not read from a file, so never reloaded). */
  public AuthSettings(Mode mode, Htpasswd users, Map<String, Set<String>> groupsByUser, AccessPolicy policy, String tokenRealm,
      String tokenService, Duration tokenTtl, Duration failedLoginDelay) {
    this(mode, users, groupsByUser, policy, tokenRealm, tokenService, tokenTtl, failedLoginDelay, Source.NONE);
  }

  public boolean enabled() { return mode != Mode.NONE; }

  public Identity identityOf(String user) { return Identity.user(user, groupsByUser.getOrDefault(user, Set.of())); }

  /** True when {@code other} differs in a setting that takes effect only at start-up (the mode, the token settings). */
  public boolean startupSettingsDifferFrom(AuthSettings other) {
    return mode != other.mode || !Objects.equals(tokenRealm, other.tokenRealm) || !tokenService.equals(other.tokenService)
        || !tokenTtl.equals(other.tokenTtl);
  }

  /** These settings with the start-up-only ones (mode, token settings) taken from {@code running}. */
  public AuthSettings withStartupSettingsOf(AuthSettings running) {
    AccessPolicy p = new AccessPolicy(running.mode != Mode.NONE, policy.admins(), policy.rules());
    return new AuthSettings(running.mode, users, groupsByUser, p, running.tokenRealm, running.tokenService, running.tokenTtl,
        failedLoginDelay, source);
  }
}
