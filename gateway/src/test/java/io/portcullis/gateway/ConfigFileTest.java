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
    ServerConfig cfg = load("http:\n  host: 0.0.0.0\n  port: 5123\nstorage:\n  root: reg-data\n");
    assertEquals("0.0.0.0", cfg.host());
    assertEquals(5123, cfg.port());
    assertEquals(dir.resolve("reg-data"), cfg.storageDir());
  }

  @Test
  void emptyFileKeepsDefaults() throws Exception {
    assertEquals(ServerConfig.defaults(), load(""));
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
