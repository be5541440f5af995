package io.portcullis.gateway.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/_portcullis/token} (and the OAuth2 password grant by {@code POST}): exchanges htpasswd
 * credentials, a verified client certificate, or nothing for an anonymous token, for a bearer token
 * granting the requested scopes as far as the access policy allows. Scopes the caller may not have are
 * left out, not refused, as Docker token servers do.
 */
public final class TokenHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPOSITORY_SCOPE = Pattern.compile("repository:([^:]+):([a-z*,]*)");

  private final Supplier<AuthSettings> live;
  private final TokenService tokens;
  private final AuthFilter filter;

  public TokenHandler(Supplier<AuthSettings> settings, TokenService tokens, AuthFilter filter) {
    this.live = settings;
    this.tokens = tokens;
    this.filter = filter;
  }

  public void issue(Context ctx) {
    AuthSettings settings = live.get();
    if (settings.mode() != AuthSettings.Mode.TOKEN) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "token authentication is not enabled on this registry").withStatus(404);
    }
    Identity who = Identity.ANONYMOUS;
    List<String> scopes = new ArrayList<>(ctx.queryParams("scope"));
    String header = ctx.header("Authorization");
    if ("POST".equals(ctx.method().name())) {
      String user = ctx.formParam("username");
      String password = ctx.formParam("password");
      if (user != null && password != null) {
        if (!settings.users().verify(user, password)) {
          filter.delayFailedLogin(user);
          throw filter.badCredentials(ctx);
        }
        who = settings.identityOf(user);
      } else {
        who = filter.certificateUser(ctx, settings).orElse(Identity.ANONYMOUS);
      }
      String formScope = ctx.formParam("scope");
      if (formScope != null) scopes.addAll(List.of(formScope.split(" ")));
    } else if (header != null && !header.isBlank()) {
      Optional<Identity> checked = filter.checkBasic(header);
      if (checked.isEmpty()) throw filter.badCredentials(ctx);
      who = checked.get();
    } else {
      // No credentials: the user of a verified client certificate, or anonymous.
      who = filter.certificateUser(ctx, settings).orElse(Identity.ANONYMOUS);
    }
    Map<String, Set<Action>> granted = new LinkedHashMap<>();
    for (String scope : scopes) {
      for (String one : scope.split(" ")) {
        var m = REPOSITORY_SCOPE.matcher(one.trim());
        if (!m.matches()) continue;
        String repository = m.group(1);
        Set<Action> actions = granted.computeIfAbsent(repository, k -> EnumSet.noneOf(Action.class));
        for (String asked : m.group(2).split(",")) {
          for (Action a : actionsFor(asked)) {
            if (settings.policy().allows(who, repository, a)) actions.add(a);
          }
        }
      }
    }
    String token = tokens.issue(who, granted);
    ObjectNode body = JSON.createObjectNode();
    body.put("token", token);
    body.put("access_token", token);
    body.put("expires_in", tokens.ttl().toSeconds());
    body.put("issued_at", Instant.now().toString());
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json").result(body.toString());
  }

  private static Set<Action> actionsFor(String dockerAction) {
    return switch (dockerAction) {
      case "pull" -> EnumSet.of(Action.READ);
      case "push" -> EnumSet.of(Action.CREATE, Action.UPDATE);
      case "delete" -> EnumSet.of(Action.DELETE);
      case "*" -> EnumSet.allOf(Action.class);
      default -> EnumSet.noneOf(Action.class);
    };
  }
}
