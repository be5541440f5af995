package io.portcullis.attest.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A cosign-compatible key pair: ECDSA P-256, the private key stored as PEM
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY} whose body is JSON
 * {@code {kdf: scrypt(N=32768,r=8,p=1, salt), cipher: nacl/secretbox(nonce), ciphertext}} over the
 * PKCS#8 DER key (the format cosign, skopeo and sigstore-go read). Older
 * {@code ENCRYPTED COSIGN PRIVATE KEY} files are read too.
 */
public record CosignKeyPair(PrivateKey privateKey, PublicKey publicKey) {
  public static final String PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
  public static final String LEGACY_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";
  private static final int N = 32768;
  private static final int R = 8;
  private static final int P = 1;
  private static final int MAX_N = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.security.Provider BC = io.portcullis.attest.Providers.BOUNCY_CASTLE;

  /** A fresh ECDSA P-256 key pair. */
  public static CosignKeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair kp = g.generateKeyPair();
      return new CosignKeyPair(kp.getPrivate(), kp.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is always available", e);
    }
  }

  /** The encrypted private key PEM ({@code P.key}). */
  public String encryptedPrivateKeyPem(char[] password) {
    SecureRandom rnd = new SecureRandom();
    byte[] salt = new byte[32];
    byte[] nonce = new byte[24];
    rnd.nextBytes(salt);
    rnd.nextBytes(nonce);
    byte[] key = SCrypt.generate(utf8(password), salt, N, R, P, 32);
    byte[] box;
    try {
      box = secretbox(true, key, nonce, privateKey.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing cannot fail", e);
    }
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode kdf = doc.putObject("kdf");
    kdf.put("name", "scrypt");
    kdf.putObject("params").put("N", N).put("r", R).put("p", P);
    kdf.put("salt", Base64.getEncoder().encodeToString(salt));
    ObjectNode cipher = doc.putObject("cipher");
    cipher.put("name", "nacl/secretbox");
    cipher.put("nonce", Base64.getEncoder().encodeToString(nonce));
    doc.put("ciphertext", Base64.getEncoder().encodeToString(box));
    return pem(PEM_TYPE, doc.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The public key PEM ({@code P.pub}, type {@code PUBLIC KEY}). */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /**
   * Decrypts a cosign private key file.
   *
   * @throws IOException for a file that is not an encrypted cosign key
   * @throws GeneralSecurityException for a wrong password (the secretbox tag does not verify)
   */
  public static CosignKeyPair decrypt(String pemText, char[] password) throws IOException, GeneralSecurityException {
    PemObject obj;
    try (PemReader r = new PemReader(new StringReader(pemText))) {
      obj = r.readPemObject();
    }
    if (obj == null || !(obj.getType().equals(PEM_TYPE) || obj.getType().equals(LEGACY_PEM_TYPE))) {
      throw new IOException("not an encrypted cosign/sigstore private key");
    }
    JsonNode doc = JSON.readTree(obj.getContent());
    JsonNode params = doc.path("kdf").path("params");
    if (!doc.path("kdf").path("name").asText().equals("scrypt")
        || !doc.path("cipher").path("name").asText().equals("nacl/secretbox")) {
      throw new IOException("unsupported key encryption " + doc.path("kdf").path("name").asText() + "/"
          + doc.path("cipher").path("name").asText());
    }
    int n = params.path("N").asInt();
    int r = params.path("r").asInt();
    int p = params.path("p").asInt();
    if (n <= 1 || n > MAX_N || r <= 0 || r > 32 || p <= 0 || p > 16) {
      throw new IOException("scrypt parameters out of range");
    }
    byte[] salt = Base64.getDecoder().decode(doc.path("kdf").path("salt").asText());
    byte[] nonce = Base64.getDecoder().decode(doc.path("cipher").path("nonce").asText());
    byte[] box = Base64.getDecoder().decode(doc.path("ciphertext").asText());
    if (nonce.length != 24 || box.length < 16) {
      throw new IOException("bad nonce or ciphertext length");
    }
    byte[] key = SCrypt.generate(utf8(password), salt, n, r, p, 32);
    byte[] pkcs8 = secretbox(false, key, nonce, box);
    PrivateKey priv = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    return new CosignKeyPair(priv, publicOf(pkcs8));
  }

  /** Q = d·G, computed with Bouncy Castle, returned as a JDK key. */
  private static PublicKey publicOf(byte[] pkcs8) throws GeneralSecurityException {
    var bcPriv = (org.bouncycastle.jce.interfaces.ECPrivateKey) KeyFactory.getInstance("EC", BC)
        .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    var spec = bcPriv.getParameters();
    var q = spec.getG().multiply(bcPriv.getD()).normalize();
    PublicKey bcPub = KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(q, spec));
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(bcPub.getEncoded()));
  }

  /** NaCl secretbox: XSalsa20 keystream, first 32 bytes keying Poly1305; box = tag(16) || ciphertext. */
  private static byte[] secretbox(boolean seal, byte[] key, byte[] nonce, byte[] input) throws GeneralSecurityException {
    XSalsa20Engine xs = new XSalsa20Engine();
    xs.init(seal, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] polyKey = new byte[32];
    xs.processBytes(new byte[32], 0, 32, polyKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    byte[] tag = new byte[16];
    if (seal) {
      byte[] ct = new byte[input.length];
      xs.processBytes(input, 0, input.length, ct, 0);
      mac.update(ct, 0, ct.length);
      mac.doFinal(tag, 0);
      byte[] out = Arrays.copyOf(tag, 16 + ct.length);
      System.arraycopy(ct, 0, out, 16, ct.length);
      return out;
    }
    mac.update(input, 16, input.length - 16);
    mac.doFinal(tag, 0);
    if (!MessageDigest.isEqual(tag, Arrays.copyOf(input, 16))) {
      throw new GeneralSecurityException("wrong password (secretbox authentication failed)");
    }
    byte[] plain = new byte[input.length - 16];
    xs.processBytes(input, 16, plain.length, plain, 0);
    return plain;
  }

  private static byte[] utf8(char[] password) {
    return new String(password).getBytes(StandardCharsets.UTF_8);
  }

  private static String pem(String type, byte[] der) {
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return sw.toString();
  }
}
