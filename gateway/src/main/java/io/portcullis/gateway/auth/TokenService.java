package io.portcullis.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies the registry's bearer tokens: JWTs signed with HMAC-SHA256 under a secret that
 * never leaves the server, carrying the repositories and actions granted ({@code access} claim, in the
 * Docker token format: actions {@code pull}, {@code push}, {@code delete}).
 */
public final class TokenService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] secret;
  private final String issuer;
  private final String service;
  private final Duration ttl;
  private final Clock clock;

  public TokenService(byte[] secret, String issuer, String service, Duration ttl, Clock clock) {
    if (secret.length < 32) throw new IllegalArgumentException("the token secret must have at least 32 bytes");
    this.secret = secret.clone();
    this.issuer = issuer;
    this.service = service;
    this.ttl = ttl;
    this.clock = clock;
  }

  public String service() { return service; }
  public Duration ttl() { return ttl; }

  /** What a verified token says: who, and the actions granted per repository. */
  public record Grant(Identity identity, Map<String, Set<Action>> access) {
    public boolean allows(String repository, Action action) {
      return access.getOrDefault(repository, Set.of()).contains(action);
    }
  }

  public String issue(Identity who, Map<String, Set<Action>> access) {
    long now = clock.instant().getEpochSecond();
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", issuer);
    claims.put("sub", who.name());
    claims.put("aud", service);
    claims.put("iat", now);
    claims.put("nbf", now - 5);
    claims.put("exp", now + ttl.toSeconds());
    claims.put("jti", UUID.randomUUID().toString());
    ArrayNode groups = claims.putArray("groups");
    who.groups().forEach(groups::add);
    ArrayNode list = claims.putArray("access");
    for (Map.Entry<String, Set<Action>> e : access.entrySet()) {
      ObjectNode entry = list.addObject();
      entry.put("type", "repository");
      entry.put("name", e.getKey());
      ArrayNode actions = entry.putArray("actions");
      if (e.getValue().contains(Action.READ)) actions.add("pull");
      if (e.getValue().contains(Action.CREATE) || e.getValue().contains(Action.UPDATE)) actions.add("push");
      if (e.getValue().contains(Action.DELETE)) actions.add("delete");
    }
    String signingInput = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + B64.encodeToString(sign(signingInput));
  }

  /** The grant of a valid token; empty when the token is malformed, forged, expired or for another service. */
  public Optional<Grant> verify(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return Optional.empty();
    try {
      byte[] expected = sign(parts[0] + "." + parts[1]);
      if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) return Optional.empty();
      JsonNode header = JSON.readTree(B64D.decode(parts[0]));
      if (!"HS256".equals(header.path("alg").asText())) return Optional.empty();
      JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
      long now = clock.instant().getEpochSecond();
      if (claims.path("exp").asLong(0) < now || claims.path("nbf").asLong(Long.MAX_VALUE) > now) return Optional.empty();
      if (!service.equals(claims.path("aud").asText()) || !issuer.equals(claims.path("iss").asText())) return Optional.empty();
      String sub = claims.path("sub").asText("");
      Set<String> groups = new HashSet<>();
      claims.path("groups").forEach(g -> groups.add(g.asText()));
      Identity who = sub.isEmpty() ? Identity.ANONYMOUS : Identity.user(sub, groups);
      Map<String, Set<Action>> access = new HashMap<>();
      for (JsonNode entry : claims.path("access")) {
        if (!"repository".equals(entry.path("type").asText())) continue;
        Set<Action> actions = access.computeIfAbsent(entry.path("name").asText(), k -> new HashSet<>());
        for (JsonNode a : entry.path("actions")) {
          switch (a.asText()) {
            case "pull" -> actions.add(Action.READ);
            case "push" -> {
              actions.add(Action.CREATE);
              actions.add(Action.UPDATE);
            }
            case "delete" -> actions.add(Action.DELETE);
            default -> { }
          }
        }
      }
      return Optional.of(new Grant(who, access));
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }
}
