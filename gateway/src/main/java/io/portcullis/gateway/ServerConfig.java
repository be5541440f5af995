package io.portcullis.gateway;

import io.portcullis.gateway.auth.AuthSettings;
import java.nio.file.Path;

/**
 * Where and how a Portcullis server listens, stores and authenticates.
 *
 * @param host the address to bind (default {@code 127.0.0.1})
 * @param port the TCP port; 0 picks a free one (default 5000)
 * @param storageDir the root of blob and metadata storage (default {@code ./data})
 * @param auth authentication and access rules (default: none, everyone may do everything)
 */
public record ServerConfig(String host, int port, Path storageDir, AuthSettings auth) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5000;

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Path.of("data"), AuthSettings.NONE);
  }

  public ServerConfig withHost(String h) { return new ServerConfig(h, port, storageDir, auth); }
  public ServerConfig withPort(int p) { return new ServerConfig(host, p, storageDir, auth); }
  public ServerConfig withStorageDir(Path d) { return new ServerConfig(host, port, d, auth); }
  public ServerConfig withAuth(AuthSettings a) { return new ServerConfig(host, port, storageDir, a); }
}
