package io.portcullis.sbom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.sbom.SharedFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new SbomCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void humanReadable() {
    Path f = SharedFixtures.sbomDir().resolve("spdx/tools-java/SPDXTagExample-v2.3.spdx");
    Run r = run("inspect", f.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("SPDX 2.3 (spdx-tag-value)"), r.out());
    assertTrue(r.out().contains("glibc 2.11.1"), r.out());
    assertTrue(r.out().contains("LGPL-2.0-only AND LicenseRef-3"), r.out());
  }

  @Test
  void jsonHasDocumentFieldsAndComponents() throws Exception {
    Path f = SharedFixtures.sbomDir().resolve("cyclonedx/cyclonedx-node-npm/alternative-package-registry/bom.1.6.json");
    Run r = run("inspect", f.toString(), "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("cyclonedx", j.path("format").asText());
    assertEquals("1.6", j.path("specVersion").asText());
    JsonNode expected = new ObjectMapper().readTree(f.toFile()).path("components");
    assertEquals(expected.size(), j.path("components").size());
    JsonNode c = j.path("components").get(0);
    for (String field : new String[] {"name", "version", "purl", "licenses"}) {
      assertTrue(c.has(field), field + " in " + c);
    }
    assertEquals(expected.get(0).path("purl").asText(), c.path("purl").asText());
  }

  @Test
  void vulnerabilitiesAreShown() {
    Run r = run("inspect", SharedFixtures.sbomDir().resolve("cyclonedx/bom-examples/VEX/vex.json").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("CVE-2020-25649"), r.out());
    assertTrue(r.out().contains("high 1"), r.out());
  }

  @Test
  void unreadableDocumentExitsNonZeroWithReasonOnStderr(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"bomFormat\": \"CycloneDX\", ");
    Run r = run("inspect", bad.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("malformed"), r.err());
    assertTrue(r.out().isEmpty(), r.out());

    Run invalid = run("inspect", "--json", SharedFixtures.sbomDir().resolve("cyclonedx/spec-tests/1.6/invalid-hash-sha256-1.6.json").toString());
    assertEquals(1, invalid.exit());
    assertTrue(invalid.err().contains("invalid"), invalid.err());

    Run missing = run("inspect", dir.resolve("nope.json").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("nope.json"), missing.err());
  }
}
