package io.portcullis.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.gateway.auth.AccessPolicy;
import io.portcullis.gateway.auth.AccessRule;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.AuthSettings;
import io.portcullis.gateway.auth.Htpasswd;
import io.portcullis.gateway.auth.RepositoryPattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML configuration file given with {@code --config}. Every key is optional; an unknown key
 * is an error (a typo must not silently fall back to a default). Relative paths are resolved against
 * the file's directory. The README's configuration reference documents every key.
 */
public final class ConfigFile {
  private final Path file;

  private ConfigFile(Path file) { this.file = file; }

  /** Applies the file's settings on top of {@code base}. */
  public static ServerConfig load(Path file, ServerConfig base) throws IOException {
    return new ConfigFile(file).read(base);
  }

  private ServerConfig read(ServerConfig base) throws IOException {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isNull() || root.isMissingNode()) return base;
    mapping(root, "the configuration", Set.of("http", "storage", "auth"));
    ServerConfig cfg = base;
    if (root.has("http")) {
      JsonNode http = mapping(root.get("http"), "http", Set.of("host", "port"));
      if (http.has("host")) cfg = cfg.withHost(text(http, "host", "http.host"));
      if (http.has("port")) cfg = cfg.withPort(integer(http, "port", "http.port", 0, 65535));
    }
    if (root.has("storage")) {
      JsonNode storage = mapping(root.get("storage"), "storage", Set.of("root"));
      if (storage.has("root")) cfg = cfg.withStorageDir(path(text(storage, "root", "storage.root")));
    }
    if (root.has("auth")) cfg = cfg.withAuth(auth(mapping(root.get("auth"), "auth",
        Set.of("mode", "htpasswd", "admins", "groups", "access", "token", "failed_login_delay_ms"))));
    return cfg;
  }

  private AuthSettings auth(JsonNode auth) throws IOException {
    AuthSettings d = AuthSettings.NONE;
    String modeText = auth.has("mode") ? text(auth, "mode", "auth.mode") : "basic";
    AuthSettings.Mode mode;
    try {
      mode = AuthSettings.Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": auth.mode must be none, basic or token, not '" + modeText + "'");
    }
    Htpasswd users = Htpasswd.empty();
    if (auth.has("htpasswd")) {
      Path htpasswd = path(text(auth, "htpasswd", "auth.htpasswd"));
      try {
        users = Htpasswd.read(htpasswd);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      } catch (IOException e) {
        throw new ConfigException(file + ": auth.htpasswd: cannot read " + htpasswd + ": " + e.getMessage());
      }
    } else if (mode != AuthSettings.Mode.NONE) {
      throw new ConfigException(file + ": auth.htpasswd is required when auth.mode is " + modeText);
    }
    Set<String> admins = new HashSet<>(strings(auth, "admins", "auth.admins"));
    Map<String, Set<String>> groupsByUser = new HashMap<>();
    if (auth.has("groups")) {
      JsonNode groups = auth.get("groups");
      if (!groups.isObject()) throw new ConfigException(file + ": auth.groups must map group names to lists of users");
      groups.fields().forEachRemaining(g -> {
        for (String user : strings(groups, g.getKey(), "auth.groups." + g.getKey())) {
          groupsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(g.getKey());
        }
      });
    }
    List<AccessRule> rules = new ArrayList<>();
    if (auth.has("access")) {
      JsonNode access = auth.get("access");
      if (!access.isArray()) throw new ConfigException(file + ": auth.access must be a list of rules");
      for (int i = 0; i < access.size(); i++) {
        String where = "auth.access[" + i + "]";
        JsonNode rule = mapping(access.get(i), where, Set.of("repositories", "users", "groups", "anonymous", "actions"));
        List<RepositoryPattern> patterns = new ArrayList<>();
        for (String glob : strings(rule, "repositories", where + ".repositories")) patterns.add(RepositoryPattern.of(glob));
        if (patterns.isEmpty()) throw new ConfigException(file + ": " + where + ".repositories must list at least one pattern");
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String a : strings(rule, "actions", where + ".actions")) {
          try {
            actions.add(Action.parse(a));
          } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + where + ".actions: " + e.getMessage());
          }
        }
        boolean anyone = rule.has("anonymous") && bool(rule, "anonymous", where + ".anonymous");
        rules.add(new AccessRule(patterns, new LinkedHashSet<>(strings(rule, "users", where + ".users")),
            new LinkedHashSet<>(strings(rule, "groups", where + ".groups")), anyone, actions));
      }
    }
    String realm = d.tokenRealm();
    String service = d.tokenService();
    Duration ttl = d.tokenTtl();
    if (auth.has("token")) {
      JsonNode token = mapping(auth.get("token"), "auth.token", Set.of("realm", "service", "ttl_seconds"));
      if (token.has("realm")) realm = text(token, "realm", "auth.token.realm");
      if (token.has("service")) service = text(token, "service", "auth.token.service");
      if (token.has("ttl_seconds")) ttl = Duration.ofSeconds(integer(token, "ttl_seconds", "auth.token.ttl_seconds", 10, 86_400));
    }
    Duration delay = auth.has("failed_login_delay_ms")
        ? Duration.ofMillis(integer(auth, "failed_login_delay_ms", "auth.failed_login_delay_ms", 0, 10_000))
        : d.failedLoginDelay();
    AccessPolicy policy = new AccessPolicy(mode != AuthSettings.Mode.NONE, admins, rules);
    return new AuthSettings(mode, users, groupsByUser, policy, realm, service, ttl, delay);
  }

  private JsonNode mapping(JsonNode node, String where, Set<String> known) {
    if (node == null || !node.isObject()) throw new ConfigException(file + ": " + where + " must be a mapping");
    node.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        String prefix = where.equals("the configuration") ? "" : where + ".";
        throw new ConfigException(file + ": unknown key '" + prefix + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    });
    return node;
  }

  private String text(JsonNode section, String key, String name) {
    JsonNode v = section.get(key);
    if (!v.isTextual() || v.textValue().isEmpty()) throw new ConfigException(file + ": " + name + " must be a non-empty string");
    return v.textValue();
  }

  private int integer(JsonNode section, String key, String name, int min, int max) {
    JsonNode v = section.get(key);
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min || v.intValue() > max) {
      throw new ConfigException(file + ": " + name + " must be a whole number from " + min + " to " + max);
    }
    return v.intValue();
  }

  private boolean bool(JsonNode section, String key, String name) {
    JsonNode v = section.get(key);
    if (!v.isBoolean()) throw new ConfigException(file + ": " + name + " must be true or false");
    return v.booleanValue();
  }

  private List<String> strings(JsonNode section, String key, String name) {
    JsonNode v = section.get(key);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) throw new ConfigException(file + ": " + name + " must be a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) throw new ConfigException(file + ": " + name + " must be a list of strings");
      out.add(item.textValue());
    }
    return out;
  }

  private Path path(String text) {
    Path p = Path.of(text);
    Path parent = file.toAbsolutePath().getParent();
    return p.isAbsolute() || parent == null ? p : parent.resolve(p).normalize();
  }

  /** A configuration file that cannot be used; the message names the file and the key. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
  }
}
