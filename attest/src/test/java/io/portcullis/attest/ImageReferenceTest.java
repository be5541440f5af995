package io.portcullis.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.attest.registry.ImageReference;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void parsesTagsDigestsAndPorts() {
    ImageReference r = ImageReference.parse("127.0.0.1:5000/team/app:v1");
    assertEquals("127.0.0.1:5000", r.registry());
    assertEquals("team/app", r.repository());
    assertEquals("v1", r.tag());
    assertNull(r.digest());
    ImageReference d = ImageReference.parse("registry.example/app@sha256:" + "a".repeat(64));
    assertEquals("sha256:" + "a".repeat(64), d.reference());
    assertNull(d.tag());
    assertEquals("registry.example/app", d.name());
    assertEquals("latest", ImageReference.parse("localhost/app").tag());
    assertEquals("v2", ImageReference.parse("localhost:5000/a/b:v2@sha256:" + "b".repeat(64)).tag());
  }

  @Test
  void refusesReferencesWithoutRegistryOrWithBadNames() {
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("app:v1"));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("team/app:v1"));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("r.io/App"));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("r.io/app@notadigest"));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("r.io/app:bad tag"));
  }
}
