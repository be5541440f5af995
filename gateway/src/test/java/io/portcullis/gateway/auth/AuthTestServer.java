package io.portcullis.gateway.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.portcullis.gateway.ConfigFile;
import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a registry with authentication from a real configuration file and htpasswd file. Users:
 * alice (group "dev": create on team/**), bob (read on team/**), root (admin); anonymous may read
 * public/**. Every password is the user name followed by "-pw".
 */
public final class AuthTestServer {
  private AuthTestServer() {}

  public static PortcullisServer start(Path dir, String mode, String extraAccess) throws Exception {
    return start(dir, mode, extraAccess, "");
  }

  /** As {@link #start(Path, String, String)}, with extra YAML lines at the top of the file (an {@code http:} section, say). */
  public static PortcullisServer start(Path dir, String mode, String extraAccess, String top) throws Exception {
    return PortcullisServer.start(ConfigFile.load(writeConfig(dir, mode, extraAccess, top), ServerConfig.defaults().withPort(0)));
  }

  /** Writes the htpasswd file and the configuration file; returns the latter. */
  public static Path writeConfig(Path dir, String mode, String extraAccess, String top) throws Exception {
    StringBuilder htpasswd = new StringBuilder();
    for (String user : new String[] {"alice", "bob", "root", "carol"}) {
      String hash = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(4, (user + "-pw").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
      htpasswd.append(user).append(':').append(hash).append('\n');
    }
    Files.writeString(dir.resolve("htpasswd"), htpasswd);
    Path config = dir.resolve("portcullis.yaml");
    Files.writeString(config, String.join("\n",
        top,
        "storage:",
        "  root: data",
        "auth:",
        "  mode: " + mode,
        "  htpasswd: htpasswd",
        "  failed_login_delay_ms: 300",
        "  admins: [root]",
        "  groups:",
        "    dev: [alice]",
        "  access:",
        "    - repositories: ['team/**']",
        "      groups: [dev]",
        "      actions: [read, create]",
        "    - repositories: ['team/**']",
        "      users: [bob]",
        "      actions: [read]",
        "    - repositories: ['public/**']",
        "      anonymous: true",
        "      actions: [read]",
        extraAccess,
        ""));
    return config;
  }

  /** An htpasswd line for the user with a bcrypt hash of the password (cost 4: tests only). */
  public static String htpasswdLine(String user, String password) {
    return user + ":" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(4, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }
}
