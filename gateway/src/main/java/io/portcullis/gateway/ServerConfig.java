package io.portcullis.gateway;

import io.portcullis.gateway.auth.AuthSettings;
import io.portcullis.gateway.gate.GateSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how a Portcullis server listens, stores, authenticates and admits.
 *
 * @param host the address to bind (default {@code 127.0.0.1})
 * @param port the TCP port; 0 picks a free one (default 5000)
 * @param storageDir the root of blob and metadata storage (default {@code ./data})
 * @param auth authentication and access rules (default: none, everyone may do everything)
 * @param gate the admission gate (default: on, with the built-in bundle and no trust configured)
 * @param storageSettings upload expiry and read-only modes
 * @param tls the certificate and key to serve HTTPS with, or null for plain HTTP
 * @param idleTimeout a connection on which nothing is received or sent for this long is closed, also in
 *     the middle of a request (a client that stalls mid-body); default {@link #DEFAULT_IDLE_TIMEOUT}
 */
public record ServerConfig(String host, int port, Path storageDir, AuthSettings auth, GateSettings gate, StorageSettings storageSettings,
    TlsSettings tls, Duration idleTimeout) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5000;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Path.of("data"), AuthSettings.NONE, GateSettings.defaults(), StorageSettings.defaults(), null,
        DEFAULT_IDLE_TIMEOUT);
  }

  public ServerConfig withHost(String h) { return new ServerConfig(h, port, storageDir, auth, gate, storageSettings, tls, idleTimeout); }
  public ServerConfig withPort(int p) { return new ServerConfig(host, p, storageDir, auth, gate, storageSettings, tls, idleTimeout); }
  public ServerConfig withStorageDir(Path d) { return new ServerConfig(host, port, d, auth, gate, storageSettings, tls, idleTimeout); }
  public ServerConfig withAuth(AuthSettings a) { return new ServerConfig(host, port, storageDir, a, gate, storageSettings, tls, idleTimeout); }
  public ServerConfig withGate(GateSettings g) { return new ServerConfig(host, port, storageDir, auth, g, storageSettings, tls, idleTimeout); }
  public ServerConfig withStorageSettings(StorageSettings s) { return new ServerConfig(host, port, storageDir, auth, gate, s, tls, idleTimeout); }
  public ServerConfig withTls(TlsSettings t) { return new ServerConfig(host, port, storageDir, auth, gate, storageSettings, t, idleTimeout); }
  public ServerConfig withIdleTimeout(Duration d) { return new ServerConfig(host, port, storageDir, auth, gate, storageSettings, tls, d); }
}
