package io.portcullis.gateway.auth;

import static io.portcullis.gateway.auth.AuthenticationTest.basic;
import static io.portcullis.gateway.auth.AuthenticationTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.ConfigFile;
import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The htpasswd file and the configuration's auth section are reloaded while the registry runs: a new
 * password and a new access rule apply within seconds, over HTTP; a broken file is rejected (logged)
 * and the previous settings keep serving.
 */
class AuthReloadTest {
  private static final String RELOAD = "  reload_seconds: 1";
  private static final String CAROL_READS_TEAM = String.join("\n",
      "    - repositories: ['team/**']", "      users: [carol]", "      actions: [read]");

  @Test
  void aNewPasswordAndANewRuleApplyWithoutARestart(@TempDir Path dir) throws Exception {
    Path config = AuthTestServer.writeConfig(dir, "basic", RELOAD, "");
    try (PortcullisServer server = PortcullisServer.start(ConfigFile.load(config, ServerConfig.defaults().withPort(0)))) {
      assertEquals(200, status(server, "/v2/", "alice", "alice-pw"));
      assertEquals(403, status(server, "/v2/team/app/tags/list", "carol", "carol-pw"), "no rule gives carol team/**");

      replaceLine(dir.resolve("htpasswd"), "alice:", AuthTestServer.htpasswdLine("alice", "new-secret"));
      eventually("alice's new password works", () -> status(server, "/v2/", "alice", "new-secret") == 200);
      assertEquals(401, status(server, "/v2/", "alice", "alice-pw"), "the old password no longer does");

      Files.writeString(config, Files.readString(config).replace("  access:\n", "  access:\n" + CAROL_READS_TEAM + "\n"));
      eventually("the new rule lets carol read team/**", () -> status(server, "/v2/team/app/tags/list", "carol", "carol-pw") == 404);
      assertEquals(403, status(server, "/v2/team/app/blobs/uploads/", "carol", "carol-pw", "POST"), "read only: no push");
    }
  }

  @Test
  void aBrokenFileIsRejectedAndThePreviousSettingsKeepServing(@TempDir Path dir) throws Exception {
    Path config = AuthTestServer.writeConfig(dir, "basic", CAROL_READS_TEAM + "\n" + RELOAD, "");
    String goodConfig = Files.readString(config);
    try (LogCapture log = new LogCapture();
         PortcullisServer server = PortcullisServer.start(ConfigFile.load(config, ServerConfig.defaults().withPort(0)))) {
      assertEquals(404, status(server, "/v2/team/app/tags/list", "carol", "carol-pw"));

      // An unknown key (a typo) in the auth section.
      Files.writeString(config, goodConfig.replace("failed_login_delay_ms:", "failed_login_dely_ms:").replace("users: [carol]", "users: []"));
      eventually("the broken configuration is reported", () -> log.text().contains("unknown key 'auth.failed_login_dely_ms'"));
      assertTrue(log.text().contains("previous ones keep serving"), log.text());
      assertEquals(404, status(server, "/v2/team/app/tags/list", "carol", "carol-pw"), "carol's rule is still in force");
      assertEquals(200, status(server, "/v2/", "alice", "alice-pw"));

      // Not YAML at all.
      Files.writeString(config, "auth: [unclosed\n");
      eventually("the unparsable configuration is reported", () -> log.text().contains("not valid YAML"));
      assertEquals(404, status(server, "/v2/team/app/tags/list", "carol", "carol-pw"));
      Files.writeString(config, goodConfig);

      // An htpasswd entry that is not bcrypt: the whole file is refused, alice keeps her password.
      replaceLine(dir.resolve("htpasswd"), "alice:", "alice:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=");
      eventually("the non-bcrypt htpasswd is reported", () -> log.text().contains("has a hash that is not bcrypt"));
      assertEquals(200, status(server, "/v2/", "alice", "alice-pw"), "the previous users keep serving");

      // Fixed again: the change that comes with the fix applies.
      replaceLine(dir.resolve("htpasswd"), "alice:", AuthTestServer.htpasswdLine("alice", "fixed-pw"));
      eventually("the fixed htpasswd is loaded", () -> status(server, "/v2/", "alice", "fixed-pw") == 200);
      assertEquals(404, status(server, "/v2/team/app/tags/list", "carol", "carol-pw"));
    }
  }

  private static void replaceLine(Path file, String prefix, String line) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String l : Files.readAllLines(file)) out.append(l.startsWith(prefix) ? line : l).append('\n');
    Files.writeString(file, out);
  }

  private static int status(PortcullisServer s, String path, String user, String password) throws Exception {
    return status(s, path, user, password, "GET");
  }

  private static int status(PortcullisServer s, String path, String user, String password, String method) throws Exception {
    return send(s, method, path, null, "Authorization", basic(user, password)).statusCode();
  }

  /** Waits up to 15 s (the files are checked every second and applied once they stayed the same for a check). */
  private static void eventually(String what, ThrowingCheck check) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!check.ok()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 15 s: " + what);
      Thread.sleep(200);
    }
  }

  @FunctionalInterface
  private interface ThrowingCheck {
    boolean ok() throws Exception;
  }
}
