package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** io.jwt.decode, io.jwt.verify_*, io.jwt.decode_verify, io.jwt.encode_sign(_raw). */
final class TokenBuiltins {
  private TokenBuiltins() {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** A verification key: an asymmetric public key or an HMAC secret, with optional JWK kid/alg. */
  private record Key(PublicKey publicKey, byte[] secret, String kid, String alg) {}

  /** The three parts of a compact JWS. */
  private record Token(String header, String payload, String signature) {
    byte[] signingInput() { return (header + "." + payload).getBytes(StandardCharsets.UTF_8); }
  }

  static void register(BuiltinRegistry.Builder b) {
    b.add("io.jwt.decode", 1, (ctx, a) -> {
      Value[] d = decode("io.jwt.decode", string("io.jwt.decode", a, 0));
      return ArrayValue.of(d[0], d[1], d[2]);
    });
    for (String alg : new String[] {"hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "ps256", "ps384", "ps512", "es256", "es384", "es512", "eddsa"}) {
      String fn = "io.jwt.verify_" + alg;
      String jwsAlg = alg.equals("eddsa") ? "EdDSA" : alg.toUpperCase();
      b.add(fn, 2, (ctx, a) -> {
        Token t = split(fn, string(fn, a, 0));
        String keyText = string(fn, a, 1);
        List<Key> keys = jwsAlg.startsWith("HS") ? List.of(new Key(null, keyText.getBytes(StandardCharsets.UTF_8), null, null)) : keys(fn, keyText);
        byte[] sig = signature(fn, t);
        for (Key k : keys) if (verify(jwsAlg, k, t.signingInput(), sig)) return BooleanValue.TRUE;
        return BooleanValue.FALSE;
      });
    }
    b.add("io.jwt.decode_verify", 2, TokenBuiltins::decodeVerify);
    b.add("io.jwt.encode_sign", 3, (ctx, a) -> {
      String fn = "io.jwt.encode_sign";
      ObjectValue header = Operands.object(fn, a, 0);
      ObjectValue payload = Operands.object(fn, a, 1);
      ObjectValue key = Operands.object(fn, a, 2);
      return str(sign(fn, EncodingBuiltins.marshal(header, "", null), EncodingBuiltins.marshal(payload, "", null),
          EncodingBuiltins.marshal(key, "", null)));
    });
    b.add("io.jwt.encode_sign_raw", 3, (ctx, a) -> {
      String fn = "io.jwt.encode_sign_raw";
      return str(sign(fn, string(fn, a, 0), string(fn, a, 1), string(fn, a, 2)));
    });
  }

  // ---- decoding

  private static Token split(String fn, String jwt) throws BuiltinException {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length == 1) throw BuiltinException.failure(fn, "encoded JWT had no period separators");
    if (parts.length == 5) throw BuiltinException.failure(fn, "JWT is a JWE object, which is not supported");
    if (parts.length != 3) throw BuiltinException.failure(fn, "encoded JWT must have 3 sections, found " + parts.length);
    return new Token(parts[0], parts[1], parts[2]);
  }

  private static byte[] b64(String fn, String what, String s) throws BuiltinException {
    String body = s;
    while (body.endsWith("=")) body = body.substring(0, body.length() - 1);
    try {
      return EncodingBuiltins.base64(fn, body, true, false);
    } catch (BuiltinException e) {
      String msg = e.getMessage().substring(fn.length() + 2);
      throw BuiltinException.failure(fn, "JWT " + what + " had invalid encoding: " + msg);
    }
  }

  private static byte[] signature(String fn, Token t) throws BuiltinException { return b64(fn, "signature", t.signature()); }

  private static ObjectValue jsonObject(String fn, byte[] bytes, String what) throws BuiltinException {
    try {
      Value v = Json.fromJson(JSON.readTree(bytes));
      if (v instanceof ObjectValue o) return o;
    } catch (java.io.IOException | RuntimeException e) {
      // fall through
    }
    throw BuiltinException.failure(fn, "JWT " + what + " had invalid JSON");
  }

  /** [header, payload, signature hex] following nested (cty: JWT) tokens. */
  private static Value[] decode(String fn, String jwt) throws BuiltinException {
    Token t = split(fn, jwt);
    byte[] headerBytes = b64(fn, "header", t.header());
    ObjectValue header = jsonObject(fn, headerBytes, "header");
    byte[] payloadBytes = b64(fn, "payload", t.payload());
    byte[] sig = signature(fn, t);
    if (header.get("enc") != null) throw BuiltinException.failure(fn, "JWT is a JWE object, which is not supported");
    if (isJwt(header.get("cty"))) return decode(fn, nestedToken(payloadBytes));
    Value payload;
    try {
      payload = Json.fromJson(JSON.readTree(payloadBytes));
    } catch (java.io.IOException | RuntimeException e) {
      payload = null;
    }
    if (!(payload instanceof ObjectValue)) throw BuiltinException.failure(fn, "type is JWT but payload is not JSON");
    return new Value[] {header, payload, str(CryptoBuiltins.hex(sig))};
  }

  /** The inner token of a nested JWT: the payload text, or the JSON string it holds. */
  private static String nestedToken(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    if (text.startsWith("\"")) {
      try {
        return JSON.readValue(text, String.class);
      } catch (JsonProcessingException e) {
        return text;
      }
    }
    return text;
  }

  private static boolean isJwt(Value v) { return v instanceof StringValue s && s.value().equalsIgnoreCase("JWT"); }

  // ---- keys

  private static List<Key> keys(String fn, String text) throws BuiltinException {
    String trimmed = text.trim();
    if (trimmed.startsWith("-----BEGIN")) {
      List<CryptoBuiltins.Pem> blocks = CryptoBuiltins.Pem.decodeAll(text);
      if (blocks.isEmpty()) throw BuiltinException.failure(fn, "failed to extract a Key from the PEM certificate");
      int end = text.indexOf("-----END " + blocks.get(0).type() + "-----");
      String rest = end < 0 ? "" : text.substring(end + ("-----END " + blocks.get(0).type() + "-----").length());
      if (!rest.trim().isEmpty()) throw BuiltinException.failure(fn, "extra data after a PEM certificate block");
      CryptoBuiltins.Pem block = blocks.get(0);
      if (block.type().equals("CERTIFICATE")) {
        try {
          X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(block.der()));
          return List.of(new Key(cert.getPublicKey(), null, null, null));
        } catch (GeneralSecurityException e) {
          throw BuiltinException.failure(fn, "failed to parse a PEM certificate: " + e.getMessage());
        }
      }
      if (block.type().equals("PUBLIC KEY")) {
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
          try {
            return List.of(new Key(KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(block.der())), null, null, null));
          } catch (GeneralSecurityException e) {
            // next
          }
        }
        throw BuiltinException.failure(fn, "failed to parse a PEM public key");
      }
      throw BuiltinException.failure(fn, "failed to extract a Key from the PEM certificate");
    }
    if (text.contains("-----BEGIN")) throw BuiltinException.failure(fn, "failed to extract a Key from the PEM certificate");
    try {
      JsonNode node = JSON.readTree(text);
      List<Key> out = new ArrayList<>();
      if (node.has("keys")) {
        for (JsonNode k : node.get("keys")) out.add(jwkKey(k));
      } else {
        out.add(jwkKey(node));
      }
      return out;
    } catch (JsonProcessingException | GeneralSecurityException | RuntimeException e) {
      throw BuiltinException.failure(fn, "failed to parse a JWK key (set): " + e.getMessage());
    }
  }

  private static BigInteger big(JsonNode k, String field) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(k.get(field).asText()));
  }

  private static byte[] bytes(JsonNode k, String field) { return Base64.getUrlDecoder().decode(k.get(field).asText()); }

  private static String text(JsonNode k, String field) { return k.has(field) ? k.get(field).asText() : null; }

  private static Key jwkKey(JsonNode k) throws GeneralSecurityException {
    String kty = text(k, "kty");
    if (kty == null) throw new GeneralSecurityException("missing kty");
    String kid = text(k, "kid");
    String alg = text(k, "alg");
    switch (kty) {
      case "RSA":
        return new Key(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(big(k, "n"), big(k, "e"))), null, kid, alg);
      case "EC": {
        ECParameterSpec params = curve(text(k, "crv"));
        ECPoint w = new ECPoint(big(k, "x"), big(k, "y"));
        return new Key(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params)), null, kid, alg);
      }
      case "OKP":
        return new Key(edPublic(bytes(k, "x")), null, kid, alg);
      case "oct":
        return new Key(null, bytes(k, "k"), kid, alg);
      default:
        throw new GeneralSecurityException("invalid key type " + kty);
    }
  }

  private static ECParameterSpec curve(String crv) throws GeneralSecurityException {
    String name = switch (crv == null ? "" : crv) {
      case "P-256" -> "secp256r1";
      case "P-384" -> "secp384r1";
      case "P-521" -> "secp521r1";
      default -> throw new GeneralSecurityException("unsupported curve " + crv);
    };
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec(name));
    return p.getParameterSpec(ECParameterSpec.class);
  }

  private static PublicKey edPublic(byte[] x) throws GeneralSecurityException {
    byte[] le = x.clone();
    boolean odd = (le[le.length - 1] & 0x80) != 0;
    le[le.length - 1] &= 0x7f;
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
    EdECPoint point = new EdECPoint(odd, new BigInteger(1, be));
    return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }

  // ---- signatures

  private static String javaAlgorithm(String alg) {
    return switch (alg) {
      case "RS256" -> "SHA256withRSA";
      case "RS384" -> "SHA384withRSA";
      case "RS512" -> "SHA512withRSA";
      case "PS256", "PS384", "PS512" -> "RSASSA-PSS";
      case "ES256" -> "SHA256withECDSAinP1363Format";
      case "ES384" -> "SHA384withECDSAinP1363Format";
      case "ES512" -> "SHA512withECDSAinP1363Format";
      case "EdDSA" -> "Ed25519";
      case "HS256" -> "HmacSHA256";
      case "HS384" -> "HmacSHA384";
      case "HS512" -> "HmacSHA512";
      default -> null;
    };
  }

  private static Signature signature(String alg) throws GeneralSecurityException {
    Signature s = Signature.getInstance(javaAlgorithm(alg));
    if (alg.startsWith("PS")) {
      String hash = "SHA-" + alg.substring(2);
      int len = Integer.parseInt(alg.substring(2)) / 8;
      s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), len, 1));
    }
    return s;
  }

  private static boolean verify(String alg, Key key, byte[] input, byte[] sig) {
    try {
      if (javaAlgorithm(alg) == null) return false;
      if (alg.startsWith("HS")) {
        if (key.secret() == null) return false;
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance(javaAlgorithm(alg));
        mac.init(new javax.crypto.spec.SecretKeySpec(key.secret().length == 0 ? new byte[1] : key.secret(), javaAlgorithm(alg)));
        return MessageDigest.isEqual(mac.doFinal(input), sig);
      }
      if (key.publicKey() == null) return false;
      Signature s = signature(alg);
      s.initVerify(key.publicKey());
      s.update(input);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String sign(String fn, String headerText, String payloadText, String keyText) throws BuiltinException {
    JsonNode header;
    try {
      if (headerText.isEmpty()) throw BuiltinException.failure(fn, "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
      header = JSON.readTree(headerText);
    } catch (JsonProcessingException e) {
      throw BuiltinException.failure(fn, "missing or invalid 'alg' header: cannot parse JSON: " + e.getOriginalMessage());
    }
    if (header == null || !header.isObject()) throw BuiltinException.failure(fn, "missing or invalid 'alg' header: cannot parse JSON");
    if (!header.has("alg")) throw BuiltinException.failure(fn, "missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
    String alg = header.get("alg").asText();
    if (javaAlgorithm(alg) == null) throw BuiltinException.failure(fn, "unknown JWS algorithm: " + alg);
    if (header.has("typ") && header.get("typ").asText().equalsIgnoreCase("JWT")) {
      try {
        JsonNode p = JSON.readTree(payloadText);
        if (p == null || !p.isObject()) throw new IllegalArgumentException();
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw BuiltinException.failure(fn, "type is JWT but payload is not JSON");
      }
    }
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String input = enc.encodeToString(headerText.getBytes(StandardCharsets.UTF_8)) + "." + enc.encodeToString(payloadText.getBytes(StandardCharsets.UTF_8));
    byte[] sig;
    try {
      JsonNode k = JSON.readTree(keyText);
      if (alg.startsWith("HS")) {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance(javaAlgorithm(alg));
        byte[] secret = bytes(k, "k");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.length == 0 ? new byte[1] : secret, javaAlgorithm(alg)));
        sig = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
      } else {
        Signature s = signature(alg);
        s.initSign(privateKey(k));
        s.update(input.getBytes(StandardCharsets.UTF_8));
        sig = s.sign();
      }
    } catch (JsonProcessingException | GeneralSecurityException | RuntimeException e) {
      throw BuiltinException.failure(fn, "failed to sign: " + e.getMessage());
    }
    return input + "." + enc.encodeToString(sig);
  }

  private static PrivateKey privateKey(JsonNode k) throws GeneralSecurityException {
    String kty = text(k, "kty");
    if ("RSA".equals(kty)) {
      return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(big(k, "n"), big(k, "e"), big(k, "d"),
          big(k, "p"), big(k, "q"), big(k, "dp"), big(k, "dq"), big(k, "qi")));
    }
    if ("EC".equals(kty)) return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(big(k, "d"), curve(text(k, "crv"))));
    if ("OKP".equals(kty)) return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, bytes(k, "d")));
    throw new GeneralSecurityException("unsupported key type " + kty);
  }

  // ---- decode_verify

  private static Value decodeVerify(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    String fn = "io.jwt.decode_verify";
    String jwt = string(fn, a, 0);
    ObjectValue constraints = Operands.object(fn, a, 1);
    List<Key> keys = null;
    String wantAlg = null;
    String wantIss = null;
    String wantAud = null;
    BigDecimal time = null;
    for (Map.Entry<Value, Value> e : constraints.entries().entrySet()) {
      String name = e.getKey() instanceof StringValue s ? s.value() : Json.render(e.getKey());
      Value v = e.getValue();
      switch (name) {
        case "cert" -> {
          if (!(v instanceof StringValue s)) throw BuiltinException.failure(fn, "cert constraint: must be a string");
          keys = keys(fn, s.value());
        }
        case "secret" -> {
          if (!(v instanceof StringValue s)) throw BuiltinException.failure(fn, "secret constraint: must be a string");
          keys = List.of(new Key(null, s.value().getBytes(StandardCharsets.UTF_8), null, null));
        }
        case "alg" -> wantAlg = v instanceof StringValue s ? s.value() : null;
        case "iss" -> wantIss = v instanceof StringValue s ? s.value() : null;
        case "aud" -> wantAud = v instanceof StringValue s ? s.value() : null;
        case "time" -> {
          if (!(v instanceof NumberValue n)) throw BuiltinException.failure(fn, "time constraint: must be a number");
          time = n.bigDecimal();
        }
        default -> throw BuiltinException.failure(fn, "unknown token validation constraint: " + name);
      }
    }
    if (keys == null) throw BuiltinException.failure(fn, "no key provided");
    if (time == null) {
      Instant now = ctx.queryStartTime();
      time = new BigDecimal(BigInteger.valueOf(now.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L)).add(BigInteger.valueOf(now.getNano())));
    }
    ArrayValue invalid = ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
    String current = jwt;
    ObjectValue header;
    Value payloadValue;
    while (true) {
      Token t = split(fn, current);
      header = jsonObject(fn, b64(fn, "header", t.header()), "header");
      byte[] payloadBytes = b64(fn, "payload", t.payload());
      byte[] sig = signature(fn, t);
      if (!(header.get("alg") instanceof StringValue algValue)) return invalid;
      String alg = algValue.value();
      if (wantAlg != null && !wantAlg.equals(alg)) return invalid;
      if (header.get("crit") != null) return invalid;
      boolean ok = false;
      for (Key k : keys) {
        if (k.alg() != null && !k.alg().equals(alg)) continue;
        if (verify(alg, k, t.signingInput(), sig)) {
          ok = true;
          break;
        }
      }
      if (!ok) return invalid;
      if (isJwt(header.get("cty"))) {
        current = nestedToken(payloadBytes);
        continue;
      }
      try {
        payloadValue = Json.fromJson(JSON.readTree(payloadBytes));
      } catch (java.io.IOException | RuntimeException e) {
        throw BuiltinException.failure(fn, "type is JWT but payload is not JSON");
      }
      break;
    }
    if (!(payloadValue instanceof ObjectValue payload)) throw BuiltinException.failure(fn, "type is JWT but payload is not JSON");
    BigDecimal billion = BigDecimal.valueOf(1_000_000_000L);
    Value exp = payload.get("exp");
    if (exp != null) {
      if (!(exp instanceof NumberValue n)) throw BuiltinException.failure(fn, "exp value must be a number");
      if (time.compareTo(n.bigDecimal().multiply(billion)) >= 0) return invalid;
    }
    Value nbf = payload.get("nbf");
    if (nbf != null) {
      if (!(nbf instanceof NumberValue n)) throw BuiltinException.failure(fn, "nbf value must be a number");
      if (time.compareTo(n.bigDecimal().multiply(billion)) < 0) return invalid;
    }
    if (wantIss != null && !(payload.get("iss") instanceof StringValue iss && iss.value().equals(wantIss))) return invalid;
    Value aud = payload.get("aud");
    if (aud == null) {
      if (wantAud != null) return invalid;
    } else {
      if (wantAud == null) return invalid;
      boolean match = false;
      if (aud instanceof StringValue s) match = s.value().equals(wantAud);
      else if (aud instanceof ArrayValue arr) for (Value v : arr.elements()) match |= v instanceof StringValue s && s.value().equals(wantAud);
      if (!match) return invalid;
    }
    return ArrayValue.of(BooleanValue.TRUE, header, payload);
  }
}
