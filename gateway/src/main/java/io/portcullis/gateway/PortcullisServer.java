package io.portcullis.gateway;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import io.portcullis.gateway.auth.AuthFilter;
import io.portcullis.gateway.auth.AuthReloader;
import io.portcullis.gateway.auth.TokenHandler;
import io.portcullis.gateway.auth.TokenSecret;
import io.portcullis.gateway.auth.TokenService;
import io.portcullis.gateway.distribution.Quotas;
import io.portcullis.gateway.distribution.Routes;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.gate.DecisionLog;
import io.portcullis.gateway.gate.GateSettings;
import io.portcullis.gateway.gate.PolicyBundle;
import io.portcullis.gateway.gate.RuleSet;
import io.portcullis.policy.EvaluationLimits;
import io.portcullis.policy.PolicyEngine;
import io.portcullis.policy.PolicyException;
import io.portcullis.policy.RemoteOpaEngine;
import java.util.HashMap;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.ErrorResponses;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.time.Clock;
import java.util.Map;

/**
 * A running Portcullis registry: the embedding API. Start one with {@link #start(ServerConfig)}, stop it
 * with {@link #close()}. Tests start one on port 0 and read {@link #port()}.
 */
public final class PortcullisServer implements AutoCloseable {
  private final ServerConfig config;
  private final Storage storage;
  private final AdmissionController gate;
  private final AuthReloader auth;
  private final UploadJanitor janitor;
  private final Javalin app;

  private PortcullisServer(ServerConfig config, Storage storage, AdmissionController gate, AuthReloader auth, UploadJanitor janitor, Javalin app) {
    this.config = config;
    this.storage = storage;
    this.gate = gate;
    this.auth = auth;
    this.janitor = janitor;
    this.app = app;
  }

  /** The admission gate (for tests and embedding programs that want to inspect decisions). */
  public AdmissionController gate() { return gate; }

  /** Opens the storage under {@code config.storageDir()} and starts serving. */
  public static PortcullisServer start(ServerConfig config) {
    Storage storage;
    try {
      storage = Storage.openEmbedded(config.storageDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open storage at " + config.storageDir().toAbsolutePath(), e);
    }
    try {
      UploadJanitor.discardOrphans(storage);
    } catch (IOException e) {
      storage.close();
      throw new UncheckedIOException("cannot list the uploads under " + config.storageDir().toAbsolutePath(), e);
    }
    TokenService tokens;
    try {
      tokens = new TokenService(TokenSecret.loadOrCreate(config.storageDir().resolve("token.secret")), "portcullis",
          config.auth().tokenService(), config.auth().tokenTtl(), Clock.systemUTC());
    } catch (IOException e) {
      storage.close();
      throw new UncheckedIOException("cannot read or create the token secret under " + config.storageDir().toAbsolutePath(), e);
    }
    AdmissionController gate;
    try {
      gate = startGate(config, storage);
    } catch (IOException | PolicyException e) {
      storage.close();
      throw new IllegalStateException("cannot start the admission gate: " + e.getMessage(), e);
    }
    AuthReloader auth = new AuthReloader(config.auth(), () -> ConfigFile.loadAuth(config.auth().source().configFile()));
    boolean clientCertificates = config.tls() != null && config.tls().clientAuth() != TlsSettings.ClientAuth.NONE;
    AuthFilter authFilter = new AuthFilter(auth, tokens, clientCertificates ? config.tls().clientIdentity() : null);
    TokenHandler tokenHandler = new TokenHandler(auth, tokens, authFilter);
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.compressionStrategy = CompressionStrategy.NONE;
      cfg.http.generateEtags = false;
      cfg.jetty.modifyHttpConfiguration(http -> {
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
      });
      // Our own connector (plain or TLS), so that its idle timeout is ours; Javalin then opens no other.
      cfg.jetty.addConnector((server, http) -> connector(server, http, config));
      cfg.jetty.modifyServer(PortcullisServer::cutStalledConnectionsWhenBusy);
      cfg.routes.before(ctx -> {
        ctx.header("Docker-Distribution-API-Version", "registry/2.0");
        RepositoryName.checkRawPath(ctx.req().getRequestURI());
      });
      cfg.routes.beforeMatched(authFilter::handle);
      cfg.routes.beforeMatched(ctx -> ReadOnlyCheck.check(ctx, config.storageSettings()));
      Routes.register(cfg.routes, storage, gate, gate.bundle(), tokenHandler, new Quotas(storage, config.storageSettings()));
      cfg.routes.exception(RegistryException.class, ErrorResponses::write);
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ErrorResponses.write(
          RegistryException.of(e.getStatus() == 413 ? ErrorCode.SIZE_INVALID : ErrorCode.UNSUPPORTED, e.getMessage()).withStatus(e.getStatus()), ctx));
      cfg.routes.exception(EofException.class, ErrorResponses::writeBodyCutShort);
      cfg.routes.exception(Exception.class, ErrorResponses::writeUnexpected);
      cfg.routes.error(404, "*", ctx -> {
        if (ctx.result() == null && ctx.endpoint() == null) {
          ErrorResponses.write(RegistryException.of(ErrorCode.UNSUPPORTED, "no such endpoint: " + ctx.method() + " " + ctx.path(),
              Map.of("path", ctx.path())).withStatus(404), ctx);
        }
      });
    });
    try {
      app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      gate.close();
      storage.close();
      throw e;
    }
    auth.watch();
    return new PortcullisServer(config, storage, gate, auth, new UploadJanitor(storage, config.storageSettings().uploadIdleTimeout()), app);
  }

  /**
   * The one listening connector. Jetty's limits stay at their defaults: request line and headers at most
   * 8 KiB together (a longer request line is 414, longer headers 431); a connection idle for
   * {@link ServerConfig#idleTimeout()} (also in the middle of a request body) is closed.
   */
  private static ServerConnector connector(Server server, HttpConfiguration http, ServerConfig config) {
    ServerConnector connector = config.tls() == null
        ? new ServerConnector(server, new HttpConnectionFactory(http))
        : httpsConnector(server, http, config);
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    return connector;
  }

  /**
   * A client stalled in the middle of a request body holds a request thread until the idle timeout. When
   * the request threads run out (hundreds of stalled clients, a "slowloris"), every connection's idle
   * timeout drops to {@link #LOW_RESOURCES_IDLE_TIMEOUT_MS}, so that the stalled ones are cut off within
   * seconds instead of holding the registry for the whole idle timeout.
   */
  private static void cutStalledConnectionsWhenBusy(Server server) {
    LowResourceMonitor monitor = new LowResourceMonitor(server);
    monitor.setMonitorThreads(true);
    monitor.setPeriod(1000);
    monitor.setLowResourcesIdleTimeout(LOW_RESOURCES_IDLE_TIMEOUT_MS);
    server.addBean(monitor);
  }

  /** The idle timeout of every connection while the request threads are exhausted. */
  static final int LOW_RESOURCES_IDLE_TIMEOUT_MS = 2000;

  private static ServerConnector httpsConnector(Server server, HttpConfiguration http, ServerConfig config) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    char[] password = java.util.UUID.randomUUID().toString().toCharArray();
    try {
      ssl.setKeyStore(config.tls().keyStore(password));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the TLS certificate " + config.tls().certificateChain() + " and key "
          + config.tls().privateKey() + ": " + e.getMessage(), e);
    }
    ssl.setKeyStorePassword(new String(password));
    TlsSettings tls = config.tls();
    if (tls.clientAuth() != TlsSettings.ClientAuth.NONE) {
      try {
        ssl.setTrustStore(tls.clientTrustStore());
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot use the client CA bundle " + tls.clientCa() + ": " + e.getMessage(), e);
      }
      // Verified against the CAs during the handshake; a chain they did not issue ends the handshake.
      if (tls.clientAuth() == TlsSettings.ClientAuth.REQUIRE) ssl.setNeedClientAuth(true);
      else ssl.setWantClientAuth(true);
    }
    HttpConfiguration https = new HttpConfiguration(http);
    https.addCustomizer(new SecureRequestCustomizer());
    return new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
  }

  /** {@code http} or {@code https}, as clients must address this server. */
  public String scheme() { return config.tls() == null ? "http" : "https"; }

  /** Loads the policy bundle (a bundle that does not compile stops the start), and the decision log. */
  private static AdmissionController startGate(ServerConfig config, Storage storage) throws IOException, PolicyException {
    GateSettings g = config.gate();
    PolicyBundle bundle = PolicyBundle.load(g.bundleDir(), new EvaluationLimits(g.evaluationSteps(), g.evaluationTimeout()));
    DecisionLog log = new DecisionLog(g.decisionLog() != null ? g.decisionLog() : config.storageDir().resolve("decisions.jsonl"));
    Map<String, PolicyEngine> remote = new HashMap<>();
    for (RuleSet rs : g.ruleSets()) {
      if (!rs.engine().embedded()) remote.put(rs.name(), new RemoteOpaEngine(URI.create(rs.engine().opaUrl()), g.evaluationTimeout()));
    }
    AdmissionController gate = new AdmissionController(g, storage, bundle, remote, log);
    bundle.onReload(gate::invalidate);
    if (g.enabled()) bundle.watch(g.reloadInterval());
    return gate;
  }

  /** The port actually bound (useful when the configuration asked for 0). */
  public int port() { return app.port(); }

  /** {@code http://host:port} of this server. */
  public URI baseUri() { return URI.create(scheme() + "://" + config.host() + ":" + port()); }

  public ServerConfig config() { return config; }

  @Override
  public void close() {
    auth.close();
    janitor.close();
    app.stop();
    gate.close();
    storage.close();
  }
}
