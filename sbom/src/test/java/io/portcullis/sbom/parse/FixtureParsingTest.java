package io.portcullis.sbom.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.license.LicenseExpressions;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file under {@code fixtures/sbom}: the valid ones parse and agree with what an independent reading of
 * the file finds (component count, names, versions, purls, licenses); the invalid and unsupported ones come
 * back as failures of the right kind, never as exceptions. A fixture without an expectation here fails the
 * build, so a new vector cannot be silently skipped.
 */
class FixtureParsingTest {
  /** Expectations that are not "parses": per PROVENANCE.md (INVALID / SCHEMA-INVALID) or a documented limit. */
  private static final Map<String, FailureKind> FAILURES = Map.ofEntries(
      Map.entry("cyclonedx/spec-tests/1.5/invalid-metadata-timestamp-1.5.xml", FailureKind.INVALID),
      Map.entry("cyclonedx/spec-tests/1.5/invalid-serialnumber-1.5.json", FailureKind.INVALID),
      Map.entry("cyclonedx/spec-tests/1.6/invalid-bomformat-1.6.json", FailureKind.INVALID),
      Map.entry("cyclonedx/spec-tests/1.6/invalid-hash-sha256-1.6.json", FailureKind.INVALID),
      Map.entry("spdx/tools-java/BadJSON.spdx.json", FailureKind.INVALID),
      Map.entry("spdx/tools-java/SPDXJSONExample-wrongversion.spdx.json", FailureKind.INVALID),
      // SPDX RDF/XML: recognised, no RDF store in the SPDX library build we use.
      Map.entry("spdx/tools-java/SPDXRdfExample-v2.3.spdx.rdf", FailureKind.UNSUPPORTED));

  private static SbomParser parser;

  @BeforeAll
  static void setUp() {
    parser = new SbomParser();
  }

  @TestFactory
  Stream<DynamicTest> everyFixture() throws Exception {
    List<String> fixtures = SharedFixtures.allSbomFixtures();
    assertTrue(fixtures.size() >= 59, "expected at least 59 SBOM fixtures, found " + fixtures.size());
    return fixtures.stream().map(rel -> DynamicTest.dynamicTest(rel, () -> check(rel)));
  }

  private static void check(String rel) throws Exception {
    Path file = SharedFixtures.sbomDir().resolve(rel);
    SbomParseResult result = parser.parse(file);
    FailureKind expectedFailure = FAILURES.get(rel);
    if (expectedFailure != null) {
      SbomParseResult.Failed failed = assertInstanceOf(SbomParseResult.Failed.class, result, rel + " should fail");
      assertEquals(expectedFailure, failed.kind(), rel + ": " + failed.reason());
      assertTrue(failed.reason().length() > 10, "a failure says why: " + failed.reason());
      return;
    }
    if (result instanceof SbomParseResult.Failed f) {
      fail(rel + " should parse but failed: " + f.kind() + " " + f.reason() + " " + f.details());
    }
    SbomDocument doc = ((SbomParseResult.Parsed) result).document();
    assertNotNull(doc.specVersion(), rel + " spec version");
    if (rel.startsWith("cyclonedx/")) {
      assertEquals(SbomFormat.CYCLONEDX, doc.format());
      List<IndependentReading.Expected> expected =
          rel.endsWith(".xml") ? IndependentReading.cycloneDxXml(file) : IndependentReading.cycloneDxJson(file);
      compareInOrder(rel, expected, doc.components());
      assertEquals(IndependentReading.cycloneDxEdges(file), doc.dependencies().edges(), rel + " dependency edges");
    } else {
      assertEquals(SbomFormat.SPDX, doc.format());
      List<IndependentReading.Expected> expected;
      if (rel.contains("spdx3") || rel.contains("JsonLD")) {
        expected = IndependentReading.spdx3JsonLd(file);
        assertTrue(doc.specVersion().startsWith("3."), doc.specVersion());
      } else if (rel.endsWith(".json") || rel.endsWith(".yaml")) {
        expected = IndependentReading.spdxJsonOrYaml(file);
        if (rel.endsWith(".json")) {
          assertEquals(IndependentReading.spdxJsonDependencyEdges(file), doc.dependencies().edges(), rel + " dependency edges");
        }
      } else if (rel.endsWith(".xml")) {
        expected = IndependentReading.spdxXml(file);
      } else {
        expected = IndependentReading.spdxTagValue(file);
      }
      compareBySpdxId(rel, expected, doc.components());
    }
  }

  /** CycloneDX: same components in the same (pre-order) sequence. */
  private static void compareInOrder(String rel, List<IndependentReading.Expected> expected, List<SbomComponent> actual) {
    assertEquals(expected.size(), actual.size(), rel + ": component count");
    for (int i = 0; i < expected.size(); i++) {
      IndependentReading.Expected e = expected.get(i);
      SbomComponent a = actual.get(i);
      String where = rel + " component " + i + " (" + e.name() + ")";
      assertEquals(e.name(), a.name(), where + " name");
      assertEquals(e.version(), a.version(), where + " version");
      assertEquals(e.purl(), a.purl(), where + " purl");
      // identical statements (the same id twice) collapse into one expression
      assertTrue(a.licenses().size() <= e.licenseStatements(), where + " license statements " + a.licenses());
      assertEquals(e.licenseStatements() > 0, !a.licenses().isEmpty(), where + " has licenses " + a.licenses());
      compareLicenses(where, e.licenseTokens(), a.licenses());
    }
  }

  /** SPDX: the library does not keep document order; match packages by SPDXID. */
  private static void compareBySpdxId(String rel, List<IndependentReading.Expected> expected, List<SbomComponent> actual) {
    assertEquals(expected.size(), actual.size(), rel + ": package count");
    Map<String, SbomComponent> byId = new HashMap<>();
    for (SbomComponent c : actual) {
      byId.put(c.ref(), c);
    }
    for (IndependentReading.Expected e : expected) {
      SbomComponent a = byId.get(e.key());
      assertNotNull(a, rel + ": package " + e.key() + " missing");
      String where = rel + " " + e.key();
      assertEquals(e.name(), a.name(), where + " name");
      assertEquals(e.version(), a.version(), where + " version");
      assertEquals(e.purl(), a.purl(), where + " purl");
      compareLicenses(where, e.licenseTokens(), a.licenses());
    }
  }

  /** Ids must appear as written (case-insensitively); a free-text name must become a listed id or a LicenseRef. */
  private static void compareLicenses(String where, Set<String> expectedTokens, List<String> actualExpressions) {
    Set<String> actualIds = new LinkedHashSet<>();
    for (String e : actualExpressions) {
      for (String id : LicenseExpressions.licenseIds(e)) {
        actualIds.add(id.toLowerCase());
      }
    }
    List<String> names = new ArrayList<>();
    for (String token : expectedTokens) {
      if (token.startsWith("name:")) {
        names.add(token.substring(5));
      } else {
        assertTrue(actualIds.contains(token.toLowerCase()), where + ": license " + token + " not in " + actualExpressions);
      }
    }
    for (String name : names) {
      boolean found = actualIds.stream().anyMatch(id -> id.startsWith("licenseref-") || id.equalsIgnoreCase(name.strip()));
      assertTrue(found, where + ": license name '" + name + "' not represented in " + actualExpressions);
    }
    if (expectedTokens.isEmpty()) {
      assertTrue(actualExpressions.isEmpty(), where + ": no licenses expected, got " + actualExpressions);
    }
  }

  // ---------------------------------------------------------------- values checked by hand

  @Test
  void handPickedValues() {
    SbomDocument glibcDoc = parsed("spdx/tools-java/SPDXTagExample-v2.3.spdx");
    SbomComponent glibc = glibcDoc.components().stream().filter(c -> "glibc".equals(c.name())).findFirst().orElseThrow();
    assertEquals("2.11.1", glibc.version());
    assertTrue(glibc.licenses().contains("LGPL-2.0-only AND LicenseRef-3"), glibc.licenses().toString());
    assertTrue(glibc.licenses().contains("LGPL-2.0-only OR LicenseRef-3"), glibc.licenses().toString());
    assertEquals("2.3", glibcDoc.specVersion());

    SbomDocument alpine = parsed("spdx/syft/alpine-3.10.syft.spdx.json");
    SbomComponent busybox = alpine.components().stream().filter(c -> "busybox".equals(c.name())).findFirst().orElseThrow();
    assertEquals("pkg:apk/alpine/busybox@1.30.1-r5?arch=x86_64&distro=alpine-3.10.9", busybox.purl());
    assertEquals("alpine-3.10", alpine.name());

    SbomDocument juice = parsed("cyclonedx/cyclonedx-node-npm/juice-shop/flat/bom.1.6.json");
    assertEquals(1101, juice.components().size());
    assertEquals("1.6", juice.specVersion());

    SbomDocument keycloak = parsed("cyclonedx/bom-examples/keycloak-10.0.2/bom.json");
    assertEquals(903, keycloak.components().size());
    assertEquals("urn:uuid:411dafd2-c29f-491a-97d7-e97de5bc2289", keycloak.serialNumber());
    assertEquals("2020-08-02T21:21:17Z", keycloak.created().toString());

    SbomDocument vex = parsed("cyclonedx/bom-examples/VEX/vex.json");
    assertEquals(1, vex.vulnerabilities().total());
    var v = vex.vulnerabilities().vulnerabilities().get(0);
    assertEquals("CVE-2020-25649", v.id());
    assertEquals("NVD", v.source());
    assertEquals(io.portcullis.sbom.model.Severity.HIGH, v.severity());
    assertEquals(1, vex.vulnerabilities().count(io.portcullis.sbom.model.Severity.HIGH));
    assertTrue(v.affectedRefs().get(0).startsWith("urn:cdx:"), v.affectedRefs().toString());
    assertEquals("not_affected", v.analysisState());
    assertEquals(List.of("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"), v.affectedPurls());
    assertEquals(0, vex.vulnerabilities().applicableCount(io.portcullis.sbom.model.Severity.HIGH));

    SbomDocument spdx3 = parsed("spdx/spdx-examples/examplemaven-0.0.1.spdx3.json");
    SbomComponent junit = spdx3.components().stream().filter(c -> "JUnit".equals(c.name())).findFirst().orElseThrow();
    assertEquals("3.8.1", junit.version());
    assertEquals(List.of("CPL-1.0"), junit.licenses());
    assertEquals("examplemaven", spdx3.name());

    SbomDocument syft17 = parsed("cyclonedx/syft/TestCycloneDxImageEncoder.cdx.xml");
    assertEquals("1.7", syft17.specVersion());
    assertTrue(syft17.warnings().stream().anyMatch(w -> w.contains("not schema-validated")));
  }

  private static SbomDocument parsed(String rel) {
    SbomParseResult r = parser.parse(SharedFixtures.sbomDir().resolve(rel));
    if (r instanceof SbomParseResult.Failed f) {
      fail(rel + ": " + f.reason());
    }
    return ((SbomParseResult.Parsed) r).document();
  }
}
