package io.portcullis.gateway.cli;

import io.portcullis.storage.GarbageCollector;
import io.portcullis.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis gc}: removes blobs no manifest references any more; safe while the registry serves. */
@Command(name = "gc", mixinStandardHelpOptions = true,
    description = "Remove blobs that no manifest references any more (manifests, tags and referrers are kept). Safe while the registry runs.")
final class GcCommand implements Callable<Integer> {
  @Option(names = "--storage", description = "Storage directory (default: ./data).")
  Path storage = Path.of("data");

  @Option(names = "--grace-seconds", description = "Spare anything linked or stored more recently than this (default: ${DEFAULT-VALUE}), "
      + "so that pushes in progress keep their blobs.")
  long graceSeconds = 3600;

  @Option(names = "--dry-run", description = "Count what would be removed; change nothing.")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(storage.resolve("blobs"))) {
      spec.commandLine().getErr().println("gc: " + storage.toAbsolutePath() + " holds no Portcullis storage (no blobs/ directory)");
      return 2;
    }
    try (Storage s = Storage.openEmbedded(storage)) {
      GarbageCollector.Result r = new GarbageCollector(s, Duration.ofSeconds(graceSeconds)).run(dryRun);
      spec.commandLine().getOut().println((dryRun ? "would remove " : "removed ") + r.links() + " unreferenced blob links and "
          + r.blobs() + " blobs (" + r.bytes() + " bytes)");
    }
    return 0;
  }
}
