package io.portcullis.gateway.cli;

import io.portcullis.attest.cli.KeygenCommand;
import io.portcullis.attest.cli.SignCommand;
import io.portcullis.attest.cli.VerifyBlobCommand;
import io.portcullis.attest.cli.VerifyCommand;
import io.portcullis.policy.cli.PolicyCommand;
import io.portcullis.sbom.cli.SbomCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command line. Each subcommand is a class of its own. */
@Command(
    name = "portcullis",
    mixinStandardHelpOptions = true,
    version = "portcullis 0.1.0",
    description = "A supply-chain security gateway registry.",
    subcommands = {ServeCommand.class, GcCommand.class, ScrubCommand.class, SbomCommand.class, KeygenCommand.class, SignCommand.class, VerifyCommand.class,
        VerifyBlobCommand.class, PolicyCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
