package io.portcullis.gateway.cli;

import io.portcullis.storage.Storage;
import io.portcullis.storage.model.Digest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis scrub}: hashes every stored blob again and reports those whose bytes no longer match
 * their digest (disk corruption, tampering); with {@code --repair} moves them to {@code quarantine/}, so
 * that the registry answers 404 for them instead of serving wrong bytes and clients can push them again.
 */
@Command(name = "scrub", mixinStandardHelpOptions = true,
    description = "Re-hash every stored blob; report (and with --repair quarantine) the corrupt ones. Exit 1 when corrupt blobs remain.")
final class ScrubCommand implements Callable<Integer> {
  @Option(names = "--storage", description = "Storage directory (default: ./data).")
  Path storage = Path.of("data");

  @Option(names = "--repair", description = "Move corrupt blobs to quarantine/ so that they are no longer served.")
  boolean repair;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(storage.resolve("blobs"))) {
      err.println("scrub: " + storage.toAbsolutePath() + " holds no Portcullis storage (no blobs/ directory)");
      return 2;
    }
    List<Digest> corrupt = new ArrayList<>();
    AtomicLong checked = new AtomicLong();
    try (Storage s = Storage.openEmbedded(storage)) {
      s.blobs().forEachBlob(d -> {
        checked.incrementAndGet();
        try {
          if (!s.blobs().contentMatchesDigest(d)) corrupt.add(d);
        } catch (IOException e) {
          err.println("scrub: cannot read " + d + ": " + e.getMessage());
        }
      });
      for (Digest d : corrupt) {
        if (repair) {
          s.blobs().quarantine(d);
          out.println("corrupt " + d + ": moved to quarantine/");
        } else {
          out.println("corrupt " + d);
        }
      }
    }
    out.println(checked.get() + " blobs checked, " + corrupt.size() + " corrupt" + (repair && !corrupt.isEmpty() ? ", quarantined" : ""));
    return corrupt.isEmpty() || repair ? 0 : 1;
  }
}
