package io.portcullis.attest.cli;

import io.portcullis.attest.keys.CosignKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis keygen}: a cosign-compatible encrypted key pair, {@code P.key} and {@code P.pub}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Generate a cosign-compatible ECDSA P-256 key pair (password from PORTCULLIS_PASSWORD or a prompt).")
public final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--output-key-prefix", paramLabel = "P", description = "Write P.key and P.pub (default: cosign).")
  String prefix = "cosign";

  @Option(names = "--force", description = "Overwrite existing files.")
  boolean force;

  @Spec
  CommandSpec spec;

  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    Path key = Path.of(prefix + ".key");
    Path pub = Path.of(prefix + ".pub");
    if (!force && (Files.exists(key) || Files.exists(pub))) {
      spec.commandLine().getErr().println("keygen: " + key + " or " + pub + " exists (use --force)");
      return 2;
    }
    char[] password;
    try {
      password = PasswordSource.read(env, "Enter password for private key: ", true);
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("keygen: " + e.getMessage());
      return 2;
    }
    CosignKeyPair kp = CosignKeyPair.generate();
    Files.writeString(key, kp.encryptedPrivateKeyPem(password));
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.writeString(pub, kp.publicKeyPem());
    spec.commandLine().getErr().println("Private key written to " + key);
    spec.commandLine().getErr().println("Public key written to " + pub);
    return 0;
  }
}
