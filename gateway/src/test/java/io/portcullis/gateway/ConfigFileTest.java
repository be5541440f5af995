package io.portcullis.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  private ServerConfig load(String yaml) throws Exception {
    Path f = dir.resolve("portcullis.yaml");
    Files.writeString(f, yaml);
    return ConfigFile.load(f, ServerConfig.defaults());
  }

  @Test
  void settingsOverrideDefaultsAndRelativeStorageIsBesideTheFile() throws Exception {
    ServerConfig cfg = load("http:\n  host: 0.0.0.0\n  port: 5123\n  idle_timeout_seconds: 90\nstorage:\n  root: reg-data\n");
    assertEquals("0.0.0.0", cfg.host());
    assertEquals(5123, cfg.port());
    assertEquals(java.time.Duration.ofSeconds(90), cfg.idleTimeout());
    assertEquals(dir.resolve("reg-data"), cfg.storageDir());
  }

  @Test
  void emptyFileKeepsDefaults() throws Exception {
    assertEquals(ServerConfig.defaults(), load(""));
  }

  @Test
  void policyAndTrustSectionsBuildRuleSetsAndTrustPolicies() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("bundle"));
    var key = io.portcullis.attest.keys.CosignKeyPair.generate();
    java.nio.file.Files.writeString(dir.resolve("release.pub"), key.publicKeyPem());
    ServerConfig cfg = load(String.join("\n",
        "policy:",
        "  bundle: bundle",
        "  reload_seconds: 5",
        "  rule_sets:",
        "    - name: prod",
        "      repositories: ['prod/**']",
        "      mode: enforce",
        "    - name: watch",
        "      mode: audit",
        "      opa: {url: 'http://127.0.0.1:8181', path: 'acme/registry'}",
        "trust:",
        "  - name: release",
        "    keys: [release.pub]",
        ""));
    assertEquals(dir.resolve("bundle"), cfg.gate().bundleDir());
    assertEquals(2, cfg.gate().ruleSets().size());
    var watch = cfg.gate().ruleSets().get(1);
    assertEquals(io.portcullis.gateway.gate.RuleSet.Mode.AUDIT, watch.mode());
    assertEquals("acme/registry", watch.engine().opaPath());
    assertTrue(watch.applies("anything/at/all"));
    assertTrue(cfg.gate().ruleSets().get(0).applies("prod/app") && !cfg.gate().ruleSets().get(0).applies("dev/app"));
    assertEquals("release", cfg.gate().trust().get(0).name());
    assertEquals(1, cfg.gate().trust().get(0).keys().size());
  }

  @Test
  void badPolicyAndTrustSettingsAreErrorsThatNameTheKey() {
    var e = assertThrows(ConfigFile.ConfigException.class, () -> load("policy:\n  rule_sets:\n    - mode: sometimes\n"));
    assertTrue(e.getMessage().contains("policy.rule_sets[0].mode"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load("trust:\n  - name: x\n    keys: [missing.pub]\n"));
    assertTrue(e.getMessage().contains("trust[0].keys"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class,
        () -> load("trust:\n  - name: x\n    identities:\n      - subject: a\n        issuer: b\n"));
    assertTrue(e.getMessage().contains("trusted_root"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load("policy:\n  bundle: nowhere\n"));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }

  @Test
  void clientCertificateSettings() throws Exception {
    for (String f : new String[] {"server.crt", "server.key", "clients.pem"}) Files.writeString(dir.resolve(f), "-");
    String tls = "http:\n  tls:\n    certificate: server.crt\n    key: server.key\n";
    TlsSettings plain = load(tls).tls();
    assertEquals(TlsSettings.ClientAuth.NONE, plain.clientAuth());
    TlsSettings withCa = load(tls + "    client_ca: clients.pem\n").tls();
    assertEquals(TlsSettings.ClientAuth.OPTIONAL, withCa.clientAuth(), "a CA bundle alone asks for certificates without requiring them");
    assertEquals(dir.resolve("clients.pem"), withCa.clientCa());
    TlsSettings required = load(tls + "    client_ca: clients.pem\n    client_auth: require\n    client_identity: email\n").tls();
    assertEquals(TlsSettings.ClientAuth.REQUIRE, required.clientAuth());
    assertEquals(io.portcullis.gateway.auth.ClientCertificates.Field.EMAIL, required.clientIdentity());

    var e = assertThrows(ConfigFile.ConfigException.class, () -> load(tls + "    client_auth: require\n"));
    assertTrue(e.getMessage().contains("http.tls.client_ca"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load(tls + "    client_ca: clients.pem\n    client_auth: sometimes\n"));
    assertTrue(e.getMessage().contains("http.tls.client_auth"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load(tls + "    client_ca: clients.pem\n    client_identity: uid\n"));
    assertTrue(e.getMessage().contains("http.tls.client_identity"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load(tls + "    client_ca: missing.pem\n"));
    assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
  }

  @Test
  void typosAndBadValuesAreErrorsThatNameTheKey() {
    var e = assertThrows(ConfigFile.ConfigException.class, () -> load("http:\n  prot: 5000\n"));
    assertTrue(e.getMessage().contains("http.prot"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load("htp:\n  port: 5000\n"));
    assertTrue(e.getMessage().contains("'htp'"), e.getMessage());
    e = assertThrows(ConfigFile.ConfigException.class, () -> load("http:\n  port: 70000\n"));
    assertTrue(e.getMessage().contains("http.port"), e.getMessage());
  }
}
