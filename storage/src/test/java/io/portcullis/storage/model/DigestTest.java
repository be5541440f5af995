package io.portcullis.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  @Test
  void parsesAndPrintsSha256AndSha512() {
    String s256 = "sha256:" + "a".repeat(64);
    String s512 = "sha512:" + "b".repeat(128);
    assertEquals(s256, Digest.parse(s256).toString());
    assertEquals("sha512", Digest.parse(s512).algorithm());
  }

  @Test
  void computesTheKnownSha256OfEmptyJsonObject() {
    // sha256("{}") is the digest of the OCI empty descriptor.
    assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sha256", "sha256:", ":abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256:ABCDEF",
      "sha256:abc", "sha256:../../etc/passwd", "sha512:aaaa"})
  void rejectsMalformedDigests(String text) {
    assertThrows(InvalidDigestException.class, () -> Digest.parse(text));
  }
}
