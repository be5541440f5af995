package io.portcullis.attest.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our encrypted key opened by an independent implementation of cosign's format: Python's scrypt
 * and PyNaCl's secretbox (Debian {@code python3-nacl}); skipped when that is not installed.
 */
class KeyInteropTest {
  static final String SCRIPT = """
      import base64, json, hashlib, sys, nacl.secret
      from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_public_key, Encoding, PublicFormat
      lines = open(sys.argv[1]).read().strip().splitlines()
      assert lines[0] == '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----'
      doc = json.loads(base64.b64decode(''.join(lines[1:-1])))
      p = doc['kdf']['params']
      key = hashlib.scrypt(sys.argv[3].encode(), salt=base64.b64decode(doc['kdf']['salt']), n=p['N'], r=p['r'], p=p['p'], dklen=32, maxmem=64*1024*1024)
      der = nacl.secret.SecretBox(key).decrypt(base64.b64decode(doc['ciphertext']), base64.b64decode(doc['cipher']['nonce']))
      spki = lambda k: k.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
      ok = spki(load_der_private_key(der, None).public_key()) == spki(load_pem_public_key(open(sys.argv[2], 'rb').read()))
      print('match' if ok else 'mismatch')
      """;

  @Test
  void pynaclOpensOurKey(@TempDir Path dir) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Process probe = new ProcessBuilder(python.toString(), "-c", "import nacl.secret, cryptography").start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "python3-nacl / python3-cryptography not installed; interop check skipped");
    CosignKeyPair kp = CosignKeyPair.generate();
    Path key = dir.resolve("k.key");
    Path pub = dir.resolve("k.pub");
    Path script = dir.resolve("open.py");
    Files.writeString(key, kp.encryptedPrivateKeyPem("pässword 1".toCharArray()));
    Files.writeString(pub, kp.publicKeyPem());
    Files.writeString(script, SCRIPT);
    Process p = new ProcessBuilder(python.toString(), script.toString(), key.toString(), pub.toString(), "pässword 1")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor(), out);
    assertEquals("match", out);
  }
}
