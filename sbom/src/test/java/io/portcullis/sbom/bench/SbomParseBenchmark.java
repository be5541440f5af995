package io.portcullis.sbom.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.index.SbomIndexer;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.parse.SbomParseResult;
import io.portcullis.sbom.parse.SbomParser;
import io.portcullis.sbom.parse.SbomParserLimits;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Parse time and components per second for the largest fixtures and a generated CycloneDX 1.6 document of
 * 20,000 components. Not a test: run by hand.
 *
 * <pre>
 * ./mvnw -q -o -pl sbom test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp sbom/target/test-classes:sbom/target/classes:$(cat sbom/target/cp.txt) io.portcullis.sbom.bench.SbomParseBenchmark [rounds]
 * </pre>
 */
public final class SbomParseBenchmark {
  private record Case(String label, byte[] bytes) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<Case> cases = new ArrayList<>();
    for (String rel : new String[] {
        "cyclonedx/bom-examples/keycloak-10.0.2/bom.json",
        "cyclonedx/cyclonedx-node-npm/juice-shop/flat/bom.1.6.json",
        "cyclonedx/guac/big-mongo-cyclonedx.json",
        "cyclonedx/cyclonedx-node-npm/bundled-dependencies/bom.1.5.xml",
        "spdx/guac/oci-kubectl-linux-arm-v7-spdx.json",
        "spdx/cosign/bom-go-mod.spdx"}) {
      cases.add(new Case(rel, Files.readAllBytes(SharedFixtures.sbomDir().resolve(rel))));
    }
    cases.add(new Case("generated CycloneDX 1.6 JSON, 20000 components", generatedCycloneDx(20_000)));

    SbomParser validating = new SbomParser();
    SbomParser lenient = new SbomParser(SbomParserLimits.DEFAULT.withValidateSchema(false));
    System.out.printf(Locale.ROOT, "%-62s %9s %7s %10s %10s %12s %10s%n",
        "document", "bytes", "comps", "median ms", "min ms", "comps/s", "index ms");
    for (Case c : cases) {
      report(c, validating, rounds, "");
      if (c.label().contains("cyclonedx") || c.label().contains("CycloneDX")) {
        report(c, lenient, rounds, " [no schema]");
      }
    }
  }

  private static void report(Case c, SbomParser parser, int rounds, String suffix) {
    SbomDocument doc = null;
    for (int i = 0; i < 3; i++) {
      doc = parseOrDie(parser, c);
    }
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      doc = parseOrDie(parser, c);
      nanos.add(System.nanoTime() - t);
    }
    Collections.sort(nanos);
    double medianMs = nanos.get(nanos.size() / 2) / 1e6;
    double minMs = nanos.get(0) / 1e6;
    long t = System.nanoTime();
    int rows = SbomIndexer.rows(doc).size();
    double indexMs = (System.nanoTime() - t) / 1e6;
    int n = doc.components().size();
    String label = c.label().length() > 50 ? "..." + c.label().substring(c.label().length() - 47) : c.label();
    System.out.printf(Locale.ROOT, "%-62s %9d %7d %10.1f %10.1f %12.0f %10.1f%n",
        label + suffix, c.bytes().length, n, medianMs, minMs, n / (medianMs / 1000.0), indexMs);
    if (rows == 0 && n > 0) {
      throw new IllegalStateException("no index rows for " + c.label());
    }
  }

  private static SbomDocument parseOrDie(SbomParser parser, Case c) {
    SbomParseResult r = parser.parse(c.bytes(), null);
    if (r instanceof SbomParseResult.Failed f) {
      throw new IllegalStateException(c.label() + ": " + f.reason());
    }
    return ((SbomParseResult.Parsed) r).document();
  }

  /** A schema-valid CycloneDX 1.6 BOM: npm-style components with purl, license, hash, and a dependency chain. */
  static byte[] generatedCycloneDx(int count) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode bom = json.createObjectNode();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.6");
    bom.put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(("bench" + count).getBytes()));
    bom.put("version", 1);
    ObjectNode metadata = bom.putObject("metadata");
    metadata.put("timestamp", "2026-01-01T00:00:00Z");
    metadata.putObject("component").put("type", "application").put("name", "bench-app").put("version", "1.0.0").put("bom-ref", "app");
    ArrayNode components = bom.putArray("components");
    ArrayNode dependencies = bom.putArray("dependencies");
    String[] licenses = {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC"};
    for (int i = 0; i < count; i++) {
      String name = "package-" + i;
      String version = (i % 7) + "." + (i % 13) + "." + (i % 5);
      String ref = "pkg:npm/" + name + "@" + version;
      ObjectNode c = components.addObject();
      c.put("type", "library");
      c.put("bom-ref", ref);
      c.put("name", name);
      c.put("version", version);
      c.put("purl", ref);
      c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", String.format(Locale.ROOT, "%064x", i));
      if (i % 10 == 0) {
        c.putArray("licenses").addObject().put("expression", "MIT OR Apache-2.0");
      } else {
        c.putArray("licenses").addObject().putObject("license").put("id", licenses[i % licenses.length]);
      }
      ObjectNode d = dependencies.addObject();
      d.put("ref", ref);
      ArrayNode on = d.putArray("dependsOn");
      if (i + 1 < count) {
        on.add("pkg:npm/package-" + (i + 1) + "@" + ((i + 1) % 7) + "." + ((i + 1) % 13) + "." + ((i + 1) % 5));
      }
    }
    return json.writeValueAsBytes(bom);
  }
}
