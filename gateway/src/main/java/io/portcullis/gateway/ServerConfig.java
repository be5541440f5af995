package io.portcullis.gateway;

import java.nio.file.Path;

/**
 * Where and how a Portcullis server listens and stores.
 *
 * @param host the address to bind (default {@code 127.0.0.1})
 * @param port the TCP port; 0 picks a free one (default 5000)
 * @param storageDir the root of blob and metadata storage (default {@code ./data})
 */
public record ServerConfig(String host, int port, Path storageDir) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5000;

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Path.of("data"));
  }

  public ServerConfig withHost(String h) { return new ServerConfig(h, port, storageDir); }
  public ServerConfig withPort(int p) { return new ServerConfig(host, p, storageDir); }
  public ServerConfig withStorageDir(Path d) { return new ServerConfig(host, port, d); }
}
