package io.portcullis.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustPolicyReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustPolicyReaderTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsKeyAndKeylessPolicies() throws Exception {
    var node = JSON.readTree("""
        [ {"name": "keys", "keys": ["cosign/containers-image/cosign.pub", "cosign/containers-image/cosign2.pub"]},
          {"name": "keyless", "trustedRoot": "sigstore-bundles/sigstore-go/trusted-roots/public-good.json",
           "identities": [{"subject": "mitr@redhat.com", "issuer": "https://github.com/login/oauth"},
                          {"subjectRegExp": ".*@example\\\\.com", "issuerRegExp": ".*"}]},
          {"name": "pem", "caCertificates": "cosign/containers-image/fulcio_v1.crt.pem",
           "rekorPublicKeys": ["cosign/containers-image/rekor.pub"],
           "identities": [{"subject": "mitr@redhat.com", "issuer": "https://github.com/login/oauth"}]} ]""");
    List<TrustPolicy> ps = TrustPolicyReader.readAll(node, Fixtures.root());
    assertEquals(2, ps.get(0).keys().size());
    assertFalse(ps.get(0).requireTransparencyLog());
    assertTrue(ps.get(1).allowsKeyless());
    assertTrue(ps.get(1).requireTransparencyLog());
    assertTrue(ps.get(1).requireSct());
    assertFalse(ps.get(2).requireSct());
    assertEquals(1, ps.get(2).trustedRoot().transparencyLogs().size());
  }

  @Test
  void revisionFollowsContent() throws Exception {
    var a = TrustPolicyReader.read(JSON.readTree("{\"name\":\"k\",\"keys\":[\"cosign/containers-image/cosign.pub\"]}"), Fixtures.root());
    var b = TrustPolicyReader.read(JSON.readTree("{\"name\":\"k\",\"keys\":[\"cosign/containers-image/cosign2.pub\"]}"), Fixtures.root());
    var a2 = TrustPolicyReader.read(JSON.readTree("{\"name\":\"k\",\"keys\":[\"cosign/containers-image/cosign.pub\"]}"), Fixtures.root());
    assertNotEquals(a.revision(), b.revision());
    assertEquals(a.revision(), a2.revision());
  }

  @Test
  void keylessNeedsSubjectIssuerAndRoot() {
    assertThrows(IllegalArgumentException.class, () -> TrustPolicyReader.read(JSON.readTree(
        "{\"name\":\"x\",\"trustedRoot\":\"sigstore-bundles/sigstore-go/trusted-roots/public-good.json\",\"identities\":[{\"subject\":\"a\"}]}"),
        Fixtures.root()));
    assertThrows(IllegalArgumentException.class, () -> TrustPolicyReader.read(JSON.readTree(
        "{\"name\":\"x\",\"identities\":[{\"subject\":\"a\",\"issuer\":\"b\"}]}"), Fixtures.root()));
    assertThrows(IllegalArgumentException.class, () -> TrustPolicyReader.read(JSON.readTree("{\"name\":\"x\"}"), Fixtures.root()));
  }
}
