package io.portcullis.gateway.cli;

import io.portcullis.gateway.ConfigFile;
import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis serve}: runs the registry until interrupted. Flags override the configuration file. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the registry.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Address to listen on (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "TCP port; 0 picks a free one (default: 5000).")
  Integer port;

  @Option(names = "--storage", description = "Storage directory (default: ./data).")
  Path storage;

  @Option(names = "--config", description = "Configuration file (YAML); see the README's configuration reference.")
  Path config;

  @Override
  public Integer call() throws Exception {
    ServerConfig cfg = ServerConfig.defaults();
    if (config != null) {
      try {
        cfg = ConfigFile.load(config, cfg);
      } catch (ConfigFile.ConfigException | java.io.IOException e) {
        System.err.println("portcullis: " + e.getMessage());
        return 2;
      }
    }
    if (host != null) cfg = cfg.withHost(host);
    if (port != null) cfg = cfg.withPort(port);
    if (storage != null) cfg = cfg.withStorageDir(storage);
    PortcullisServer server = PortcullisServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    System.err.println("portcullis: serving on " + server.baseUri() + ", storage " + cfg.storageDir().toAbsolutePath());
    stopped.await();
    return 0;
  }
}
