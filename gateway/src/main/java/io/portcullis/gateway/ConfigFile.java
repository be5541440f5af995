package io.portcullis.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.gateway.auth.AccessPolicy;
import io.portcullis.gateway.auth.AccessRule;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.AuthSettings;
import io.portcullis.gateway.auth.ClientCertificates;
import io.portcullis.gateway.auth.Htpasswd;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import io.portcullis.gateway.auth.RepositoryPattern;
import io.portcullis.gateway.gate.GateSettings;
import io.portcullis.gateway.gate.RuleSet;
import java.security.PublicKey;
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

  /**
   * Reads only the {@code auth} section again (and the htpasswd file it names), for reloading; the
   * other sections are not applied, so they are not checked beyond their names.
   */
  public static AuthSettings loadAuth(Path file) throws IOException {
    ConfigFile cf = new ConfigFile(file);
    JsonNode root = cf.readTree();
    if (root == null || root.isNull() || root.isMissingNode() || !root.has("auth")) {
      throw new ConfigException(file + ": the auth section is gone; turning authentication off takes a restart");
    }
    return cf.auth(cf.mapping(root.get("auth"), "auth", AUTH_KEYS));
  }

  private static final Set<String> AUTH_KEYS = Set.of("mode", "htpasswd", "admins", "groups", "access", "token", "failed_login_delay_ms",
      "reload_seconds");

  private JsonNode readTree() throws IOException {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root != null && !root.isNull() && !root.isMissingNode()) mapping(root, "the configuration", Set.of("http", "storage", "auth", "policy", "trust"));
    return root;
  }

  private ServerConfig read(ServerConfig base) throws IOException {
    JsonNode root = readTree();
    if (root == null || root.isNull() || root.isMissingNode()) return base;
    ServerConfig cfg = base;
    if (root.has("http")) {
      JsonNode http = mapping(root.get("http"), "http", Set.of("host", "port", "tls", "idle_timeout_seconds"));
      if (http.has("host")) cfg = cfg.withHost(text(http, "host", "http.host"));
      if (http.has("port")) cfg = cfg.withPort(integer(http, "port", "http.port", 0, 65535));
      if (http.has("idle_timeout_seconds")) {
        cfg = cfg.withIdleTimeout(Duration.ofSeconds(integer(http, "idle_timeout_seconds", "http.idle_timeout_seconds", 1, 86_400)));
      }
      if (http.has("tls")) {
        JsonNode tls = mapping(http.get("tls"), "http.tls", Set.of("certificate", "key", "client_ca", "client_auth", "client_identity"));
        Path cert = path(text(tls, "certificate", "http.tls.certificate"));
        Path key = path(text(tls, "key", "http.tls.key"));
        Path clientCa = tls.has("client_ca") ? path(text(tls, "client_ca", "http.tls.client_ca")) : null;
        List<Path> files = new ArrayList<>(List.of(cert, key));
        if (clientCa != null) files.add(clientCa);
        for (Path p : files) {
          if (!Files.isReadable(p)) throw new ConfigException(file + ": http.tls: cannot read " + p);
        }
        String authText = tls.has("client_auth") ? text(tls, "client_auth", "http.tls.client_auth") : clientCa == null ? "none" : "optional";
        TlsSettings.ClientAuth clientAuth;
        try {
          clientAuth = TlsSettings.ClientAuth.valueOf(authText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(file + ": http.tls.client_auth must be none, optional or require, not '" + authText + "'");
        }
        if (clientAuth != TlsSettings.ClientAuth.NONE && clientCa == null) {
          throw new ConfigException(file + ": http.tls.client_auth is " + authText + " but http.tls.client_ca names no CA bundle to verify client certificates with");
        }
        ClientCertificates.Field identity = ClientCertificates.Field.CN;
        if (tls.has("client_identity")) {
          try {
            identity = ClientCertificates.Field.parse(text(tls, "client_identity", "http.tls.client_identity"));
          } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": http.tls.client_identity " + e.getMessage());
          }
        }
        cfg = cfg.withTls(new TlsSettings(cert, key, clientAuth == TlsSettings.ClientAuth.NONE ? null : clientCa, clientAuth, identity));
      }
    }
    if (root.has("storage")) {
      JsonNode storage = mapping(root.get("storage"), "storage", Set.of("root", "upload_idle_timeout_seconds", "read_only", "read_only_repositories",
          "max_repositories", "repository_quota_bytes"));
      if (storage.has("root")) cfg = cfg.withStorageDir(path(text(storage, "root", "storage.root")));
      StorageSettings ss = cfg.storageSettings();
      if (storage.has("upload_idle_timeout_seconds")) {
        ss = ss.withUploadIdleTimeout(Duration.ofSeconds(integer(storage, "upload_idle_timeout_seconds", "storage.upload_idle_timeout_seconds", 1, 365 * 86_400)));
      }
      if (storage.has("read_only")) ss = ss.withReadOnly(bool(storage, "read_only", "storage.read_only"));
      List<RepositoryPattern> readOnly = new ArrayList<>();
      for (String glob : strings(storage, "read_only_repositories", "storage.read_only_repositories")) readOnly.add(RepositoryPattern.of(glob));
      if (!readOnly.isEmpty()) ss = ss.withReadOnlyRepositories(readOnly);
      long maxRepos = storage.has("max_repositories") ? integer(storage, "max_repositories", "storage.max_repositories", 0, Integer.MAX_VALUE) : 0;
      long quota = 0;
      if (storage.has("repository_quota_bytes")) {
        JsonNode q = storage.get("repository_quota_bytes");
        if (!q.canConvertToLong() || !q.isIntegralNumber() || q.longValue() < 0) {
          throw new ConfigException(file + ": storage.repository_quota_bytes must be a whole number of bytes (0: no limit)");
        }
        quota = q.longValue();
      }
      ss = ss.withQuotas(maxRepos, quota);
      cfg = cfg.withStorageSettings(ss);
    }
    if (root.has("auth")) cfg = cfg.withAuth(auth(mapping(root.get("auth"), "auth", AUTH_KEYS)));
    GateSettings gate = cfg.gate();
    if (root.has("policy")) gate = policy(mapping(root.get("policy"), "policy",
        Set.of("enabled", "bundle", "reload_seconds", "evaluation_steps", "evaluation_timeout_ms", "cache_entries", "rule_sets")), gate);
    if (root.has("trust")) gate = gate.withTrust(trust(root.get("trust")));
    return cfg.withGate(gate);
  }

  private GateSettings policy(JsonNode policy, GateSettings base) {
    boolean enabled = !policy.has("enabled") || bool(policy, "enabled", "policy.enabled");
    Path bundle = policy.has("bundle") ? path(text(policy, "bundle", "policy.bundle")) : base.bundleDir();
    if (bundle != null && !Files.isDirectory(bundle)) throw new ConfigException(file + ": policy.bundle: " + bundle + " is not a directory");
    Duration reload = policy.has("reload_seconds")
        ? Duration.ofSeconds(integer(policy, "reload_seconds", "policy.reload_seconds", 1, 3600)) : base.reloadInterval();
    long steps = policy.has("evaluation_steps")
        ? integer(policy, "evaluation_steps", "policy.evaluation_steps", 1000, 100_000_000) : base.evaluationSteps();
    Duration timeout = policy.has("evaluation_timeout_ms")
        ? Duration.ofMillis(integer(policy, "evaluation_timeout_ms", "policy.evaluation_timeout_ms", 10, 60_000)) : base.evaluationTimeout();
    int cache = policy.has("cache_entries") ? integer(policy, "cache_entries", "policy.cache_entries", 0, 10_000_000) : base.cacheEntries();
    List<RuleSet> ruleSets = base.ruleSets();
    if (policy.has("rule_sets")) {
      JsonNode list = policy.get("rule_sets");
      if (!list.isArray() || list.isEmpty()) throw new ConfigException(file + ": policy.rule_sets must be a non-empty list");
      ruleSets = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String where = "policy.rule_sets[" + i + "]";
        JsonNode rs = mapping(list.get(i), where, Set.of("name", "repositories", "mode", "opa"));
        String name = rs.has("name") ? text(rs, "name", where + ".name") : "rule-set-" + i;
        if (!names.add(name)) throw new ConfigException(file + ": " + where + ".name '" + name + "' is used twice");
        List<RepositoryPattern> patterns = new ArrayList<>();
        for (String glob : strings(rs, "repositories", where + ".repositories")) patterns.add(RepositoryPattern.of(glob));
        if (patterns.isEmpty()) patterns.add(RepositoryPattern.of("**"));
        String modeText = rs.has("mode") ? text(rs, "mode", where + ".mode") : "enforce";
        RuleSet.Mode mode;
        try {
          mode = RuleSet.Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(file + ": " + where + ".mode must be enforce or audit, not '" + modeText + "'");
        }
        RuleSet.EngineChoice engine = RuleSet.EngineChoice.EMBEDDED;
        if (rs.has("opa")) {
          JsonNode opa = mapping(rs.get("opa"), where + ".opa", Set.of("url", "path", "cache_seconds"));
          String url = text(opa, "url", where + ".opa.url");
          if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(file + ": " + where + ".opa.url must be an http:// or https:// URL");
          }
          int reuse = opa.has("cache_seconds")
              ? integer(opa, "cache_seconds", where + ".opa.cache_seconds", 0, 86_400) : RuleSet.EngineChoice.DEFAULT_REUSE_SECONDS;
          engine = new RuleSet.EngineChoice(url, opa.has("path") ? text(opa, "path", where + ".opa.path") : "portcullis", reuse);
        }
        ruleSets.add(new RuleSet(name, patterns, mode, engine));
      }
    }
    return new GateSettings(enabled, bundle, reload, base.trust(), ruleSets, steps, timeout, cache, base.decisionLog());
  }

  private List<TrustPolicy> trust(JsonNode trust) {
    if (!trust.isArray()) throw new ConfigException(file + ": trust must be a list of trust policies");
    List<TrustPolicy> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < trust.size(); i++) {
      String where = "trust[" + i + "]";
      JsonNode t = mapping(trust.get(i), where, Set.of("name", "keys", "trusted_root", "identities", "require_transparency_log"));
      String name = t.has("name") ? text(t, "name", where + ".name") : "trust-" + i;
      if (!names.add(name)) throw new ConfigException(file + ": " + where + ".name '" + name + "' is used twice");
      List<TrustedKey> keys = new ArrayList<>();
      for (String keyFile : strings(t, "keys", where + ".keys")) {
        Path p = path(keyFile);
        try {
          for (PublicKey k : PublicKeyReader.allFromPem(Files.readString(p))) keys.add(TrustedKey.of(p.getFileName().toString(), k));
        } catch (IOException e) {
          throw new ConfigException(file + ": " + where + ".keys: cannot read a public key from " + p + ": " + e.getMessage());
        }
      }
      TrustedRoot root = null;
      if (t.has("trusted_root")) {
        Path p = path(text(t, "trusted_root", where + ".trusted_root"));
        try {
          root = TrustedRoot.fromJson(p);
        } catch (IOException | RuntimeException e) {
          throw new ConfigException(file + ": " + where + ".trusted_root: cannot read " + p + ": " + e.getMessage());
        }
      }
      List<KeylessIdentity> identities = new ArrayList<>();
      if (t.has("identities")) {
        JsonNode ids = t.get("identities");
        if (!ids.isArray()) throw new ConfigException(file + ": " + where + ".identities must be a list");
        for (int j = 0; j < ids.size(); j++) {
          String w = where + ".identities[" + j + "]";
          JsonNode id = mapping(ids.get(j), w, Set.of("subject", "subject_regexp", "issuer", "issuer_regexp"));
          identities.add(new KeylessIdentity(match(id, "subject", w), match(id, "issuer", w)));
        }
      }
      if (keys.isEmpty() && identities.isEmpty()) throw new ConfigException(file + ": " + where + " names neither keys nor identities");
      if (!identities.isEmpty() && root == null) {
        throw new ConfigException(file + ": " + where + ": keyless identities need a trusted_root (the Sigstore trusted_root.json format)");
      }
      TrustPolicy policy;
      if (identities.isEmpty()) {
        policy = TrustPolicy.ofKeys(name, keys, root);
      } else {
        policy = TrustPolicy.ofIdentities(name, root, identities);
        if (!keys.isEmpty()) policy = new TrustPolicy(name, 1, keys, identities, root, policy.requireTransparencyLog(), policy.requireSct());
      }
      if (t.has("require_transparency_log")) {
        policy = policy.withRequirements(bool(t, "require_transparency_log", where + ".require_transparency_log"), policy.requireSct());
      }
      out.add(policy);
    }
    return out;
  }

  private StringMatch match(JsonNode id, String field, String where) {
    boolean exact = id.has(field);
    boolean regex = id.has(field + "_regexp");
    if (exact == regex) throw new ConfigException(file + ": " + where + " needs exactly one of " + field + " and " + field + "_regexp");
    if (exact) return StringMatch.exact(text(id, field, where + "." + field));
    try {
      return StringMatch.regex(text(id, field + "_regexp", where + "." + field + "_regexp"));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new ConfigException(file + ": " + where + "." + field + "_regexp is not a valid regular expression: " + e.getDescription());
    }
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
    Path htpasswd = null;
    if (auth.has("htpasswd")) {
      htpasswd = path(text(auth, "htpasswd", "auth.htpasswd"));
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
    Duration reload = Duration.ofSeconds(auth.has("reload_seconds") ? integer(auth, "reload_seconds", "auth.reload_seconds", 0, 3600) : 2);
    AccessPolicy policy = new AccessPolicy(mode != AuthSettings.Mode.NONE, admins, rules);
    return new AuthSettings(mode, users, groupsByUser, policy, realm, service, ttl, delay,
        new AuthSettings.Source(file.toAbsolutePath(), htpasswd, reload));
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
