package io.portcullis.gateway.cli;

import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis serve}: runs the registry until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the registry.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--storage", description = "Storage directory (default: ${DEFAULT-VALUE}).")
  Path storage = Path.of("data");

  @Option(names = "--config", description = "Configuration file (YAML).")
  Path config;

  @Override
  public Integer call() throws Exception {
    ServerConfig cfg = new ServerConfig(host, port, storage);
    PortcullisServer server = PortcullisServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    System.err.println("portcullis: serving on " + server.baseUri() + ", storage " + storage.toAbsolutePath());
    stopped.await();
    return 0;
  }
}
