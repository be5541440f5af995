package io.portcullis.sbom.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.sbom.SharedFixtures;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.parse.SbomParseResult;
import io.portcullis.sbom.parse.SbomParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SbomIndexerTest {

  @Test
  void purlKeys() {
    PackageUrlKey k = PackageUrlKey.of("pkg:apk/alpine/busybox@1.30.1-r5?arch=x86_64&distro=alpine-3.10.9");
    assertEquals("pkg:apk/alpine/busybox", k.base());
    assertEquals("pkg:apk/alpine/busybox@1.30.1-r5", k.versioned());
    PackageUrlKey npm = PackageUrlKey.of("pkg:npm/%40angular/core@17.0.1#sub/path");
    assertEquals("pkg:npm/@angular/core", npm.base());
    assertEquals("pkg:npm/@angular/core@17.0.1", npm.versioned());
    assertEquals(npm.base(), PackageUrlKey.of("PKG:NPM/@angular/core").base());
    assertNull(PackageUrlKey.of("pkg:npm/@angular/core").versioned());
    assertNull(PackageUrlKey.of("not a purl"));
    assertNull(PackageUrlKey.of("pkg:npm"));
  }

  @Test
  void rowsFromARealDocument() {
    SbomParseResult r = new SbomParser().parse(SharedFixtures.sbomDir().resolve("spdx/tools-java/SPDXJSONExample-v2.3.spdx.json"));
    SbomDocument doc = ((SbomParseResult.Parsed) r).document();
    List<ComponentIndexRow> rows = SbomIndexer.rows(doc);
    assertEquals(4, rows.size());
    ComponentIndexRow jena = rows.stream().filter(x -> "jena".equals(x.name())).findFirst().orElseThrow();
    assertEquals("pkg:maven/org.apache.jena/apache-jena", jena.purlBase());
    assertEquals("pkg:maven/org.apache.jena/apache-jena@3.12.0", jena.purl());
    assertEquals("3.12.0", jena.version());
    ComponentIndexRow glibc = rows.stream().filter(x -> "glibc".equals(x.name())).findFirst().orElseThrow();
    assertEquals(List.of("LGPL-2.0-only", "LicenseRef-3"), glibc.licenseIds());
    assertTrue(SbomIndexer.licenseKeys(doc).contains("lgpl-2.0-only"));
  }
}
