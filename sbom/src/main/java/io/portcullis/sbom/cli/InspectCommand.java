package io.portcullis.sbom.cli;

import io.portcullis.sbom.json.SbomJson;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.Severity;
import io.portcullis.sbom.parse.SbomParseResult;
import io.portcullis.sbom.parse.SbomParser;
import io.portcullis.sbom.parse.SbomParserLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis sbom inspect FILE [--json]}: parse a local SBOM and print what the gate will see. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Parse a local SBOM and print the normalised model. Exits 1 with the reason on stderr when the document cannot be read.")
public final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "CycloneDX (JSON/XML), SPDX (JSON/tag-value/YAML/XML), or either one in an in-toto statement or DSSE envelope")
  Path file;

  @Option(names = "--json", description = "print JSON: the document's fields and a components array (name, version, purl, licenses, ...)")
  boolean json;

  @Option(names = "--max-size", paramLabel = "BYTES", description = "refuse documents larger than this (default: ${DEFAULT-VALUE})")
  long maxSize = SbomParserLimits.DEFAULT_MAX_BYTES;

  @Option(names = "--no-schema-validation", description = "do not check CycloneDX documents against their schema")
  boolean noSchemaValidation;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SbomParserLimits limits;
    try {
      limits = SbomParserLimits.DEFAULT.withMaxBytes(maxSize).withValidateSchema(!noSchemaValidation);
    } catch (IllegalArgumentException e) {
      err.println("portcullis sbom inspect: " + e.getMessage());
      return 2;
    }
    SbomParseResult result = new SbomParser(limits).parse(file);
    if (result instanceof SbomParseResult.Failed f) {
      err.println("portcullis sbom inspect: " + file + ": " + f.kind().name().toLowerCase() + ": " + f.reason());
      for (String d : f.details()) {
        err.println("  " + d);
      }
      err.flush();
      return 1;
    }
    SbomDocument doc = ((SbomParseResult.Parsed) result).document();
    if (json) {
      out.println(SbomJson.toPrettyString(SbomJson.document(doc)));
    } else {
      printHuman(out, doc);
    }
    out.flush();
    return 0;
  }

  private static void printHuman(PrintWriter out, SbomDocument d) {
    out.printf("format:           %s %s (%s)%n", d.format() == null ? "?" : d.format().name(), d.specVersion(), d.encoding().label());
    line(out, "name", d.name());
    line(out, "serial/namespace", d.serialNumber());
    line(out, "created", d.created() == null ? null : d.created().toString());
    line(out, "tools", d.tools().isEmpty() ? null : String.join(", ", d.tools()));
    out.printf("components:       %d%n", d.components().size());
    out.printf("dependencies:     %d component(s) with dependencies, %d edge(s)%n", d.dependencies().dependents(), d.dependencies().edges());
    if (d.vulnerabilities().total() > 0) {
      StringBuilder counts = new StringBuilder();
      for (Severity s : Severity.values()) {
        counts.append(counts.length() == 0 ? "" : ", ").append(s.label()).append(' ').append(d.vulnerabilities().count(s));
      }
      out.printf("vulnerabilities:  %d (%s)%n", d.vulnerabilities().total(), counts);
      d.vulnerabilities().vulnerabilities().forEach(v -> out.printf("  %s  %s%s  affects %s%n", v.id(), v.severity().label(),
          v.analysisState() == null ? "" : " (" + v.analysisState() + ")", String.join(", ", v.affectedRefs())));
    }
    for (String w : d.warnings()) {
      out.println("warning:          " + w);
    }
    if (!d.components().isEmpty()) {
      out.println();
      for (SbomComponent c : d.components()) {
        String name = c.group() == null ? c.name() : c.group() + "/" + c.name();
        out.printf("  %s%s%s%s%n", name, c.version() == null ? "" : " " + c.version(),
            c.purl() == null ? "" : "  " + c.purl(),
            c.licenses().isEmpty() ? "" : "  [" + String.join("; ", c.licenses()) + "]");
      }
    }
  }

  private static void line(PrintWriter out, String label, String value) {
    if (value != null) {
      out.printf("%-18s%s%n", label + ":", value);
    }
  }
}
