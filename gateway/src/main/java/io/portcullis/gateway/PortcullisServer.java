package io.portcullis.gateway;

import io.javalin.Javalin;
import java.net.URI;

/**
 * A running Portcullis registry: the embedding API. Start one with {@link #start(ServerConfig)}, stop it
 * with {@link #close()}. Tests start one on port 0 and read {@link #port()}.
 */
public final class PortcullisServer implements AutoCloseable {
  private final ServerConfig config;
  private final Javalin app;

  private PortcullisServer(ServerConfig config, Javalin app) {
    this.config = config;
    this.app = app;
  }

  /** Opens the storage under {@code config.storageDir()} and starts serving. */
  public static PortcullisServer start(ServerConfig config) {
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.routes.get("/v2/", ctx -> ctx.header("Docker-Distribution-API-Version", "registry/2.0").result("{}"));
    });
    app.start(config.host(), config.port());
    return new PortcullisServer(config, app);
  }

  /** The port actually bound (useful when the configuration asked for 0). */
  public int port() { return app.port(); }

  /** {@code http://host:port} of this server. */
  public URI baseUri() { return URI.create("http://" + config.host() + ":" + port()); }

  public ServerConfig config() { return config; }

  @Override
  public void close() { app.stop(); }
}
