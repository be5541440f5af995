package io.portcullis.sbom.cli;

import picocli.CommandLine.Command;

/** {@code portcullis sbom ...}: SBOM tools. */
@Command(
    name = "sbom",
    mixinStandardHelpOptions = true,
    description = "Inspect SBOMs (CycloneDX, SPDX, and both as in-toto attestations) the way the gate reads them.",
    subcommands = {InspectCommand.class})
public final class SbomCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
