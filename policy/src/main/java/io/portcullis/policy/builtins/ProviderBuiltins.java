package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;

import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** providers.aws.sign_req: AWS Signature Version 4 for an http.send-style request object. */
final class ProviderBuiltins {
  private ProviderBuiltins() {}

  private static final String FN = "providers.aws.sign_req";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  static void register(BuiltinRegistry.Builder b) {
    b.add(FN, 3, (ctx, a) -> {
      ObjectValue req = Operands.object(FN, a, 0);
      ObjectValue config = Operands.object(FN, a, 1);
      NumberValue timeNs = Operands.number(FN, a, 2);
      String[] request = required(req, 0, "request", "method", "url");
      String[] aws = required(config, 1, "AWS config", "aws_access_key", "aws_region", "aws_secret_access_key", "aws_service");
      boolean unsignedPayload = false;
      Value disable = config.get("disable_payload_signing");
      if (disable != null) {
        if (!(disable instanceof BooleanValue bv)) throw Operands.operandError(FN, 1, "invalid value for 'disable_payload_signing' in AWS config");
        unsignedPayload = bv.value();
      }
      BigInteger ns = timeNs.asBigInteger().orElse(null);
      if (ns == null || ns.signum() < 0 || ns.bitLength() > 63) throw Operands.operandError(FN, 2, "could not convert time_ns value into a unix timestamp");
      Instant t = Instant.ofEpochSecond(ns.divide(BigInteger.valueOf(1_000_000_000L)).longValue());
      return sign(req, request[0], request[1], aws[0], aws[1], aws[2], aws[3],
          config.get("aws_session_token") instanceof StringValue s ? s.value() : null, unsignedPayload, t);
    });
  }

  /** The string values of the required keys, or the operand errors OPA raises. */
  private static String[] required(ObjectValue o, int index, String what, String... keys) throws BuiltinException {
    List<String> missing = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    String[] out = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      Value v = o.get(keys[i]);
      if (v == null) missing.add("\"" + keys[i] + "\"");
      else if (!(v instanceof StringValue s)) invalid.add("\"" + keys[i] + "\"");
      else out[i] = s.value();
    }
    if (!missing.isEmpty()) throw Operands.operandError(FN, index, "missing required " + what + " parameters(s): {" + String.join(", ", missing) + "}");
    if (!invalid.isEmpty()) throw Operands.operandError(FN, index, "invalid values for required " + what + " parameters(s): {" + String.join(", ", invalid) + "}");
    return out;
  }

  private static Value sign(ObjectValue req, String method, String url, String accessKey, String region, String secret,
      String service, String sessionToken, boolean unsignedPayload, Instant time) throws BuiltinException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw BuiltinException.failure(FN, "invalid url: " + url);
    }
    String body = req.get("body") instanceof StringValue s ? s.value()
        : req.get("raw_body") instanceof StringValue s2 ? s2.value()
        : req.get("body") != null ? EncodingBuiltins.marshal(req.get("body"), "", null) : "";
    String payloadHash = unsignedPayload ? "UNSIGNED-PAYLOAD" : CryptoBuiltins.hex(CryptoBuiltins.digest("SHA-256", body));
    String amzDate = AMZ_DATE.format(time);
    String date = amzDate.substring(0, 8);
    TreeMap<String, String> headers = new TreeMap<>();
    if (req.get("headers") instanceof ObjectValue h) {
      for (Map.Entry<Value, Value> e : h.entries().entrySet()) {
        if (e.getKey() instanceof StringValue k && e.getValue() instanceof StringValue v) headers.put(k.value().toLowerCase(), v.value().trim());
      }
    }
    headers.put("host", uri.getRawAuthority() == null ? "" : uri.getRawAuthority());
    headers.put("x-amz-content-sha256", payloadHash);
    headers.put("x-amz-date", amzDate);
    if (sessionToken != null) headers.put("x-amz-security-token", sessionToken);
    StringBuilder canonicalHeaders = new StringBuilder();
    for (Map.Entry<String, String> e : headers.entrySet()) canonicalHeaders.append(e.getKey()).append(':').append(e.getValue()).append('\n');
    String signedHeaders = String.join(";", headers.keySet());
    // OPA signs the method as given and the escaped path as is (empty for "http://host").
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    TreeMap<String, List<String>> query = new TreeMap<>();
    if (uri.getRawQuery() != null) {
      for (String part : uri.getRawQuery().split("&")) {
        if (part.isEmpty()) continue;
        int eq = part.indexOf('=');
        query.computeIfAbsent(eq < 0 ? part : part.substring(0, eq), k -> new ArrayList<>()).add(eq < 0 ? "" : part.substring(eq + 1));
      }
    }
    StringBuilder canonicalQuery = new StringBuilder();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      List<String> values = new ArrayList<>(e.getValue());
      values.sort(null);
      for (String v : values) {
        if (canonicalQuery.length() > 0) canonicalQuery.append('&');
        canonicalQuery.append(e.getKey()).append('=').append(v);
      }
    }
    String canonicalRequest = method + "\n" + path + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + CryptoBuiltins.hex(CryptoBuiltins.digest("SHA-256", canonicalRequest));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = CryptoBuiltins.hex(hmac(key, stringToSign));
    ObjectValue.Builder outHeaders = ObjectValue.builder();
    if (req.get("headers") instanceof ObjectValue h) for (Map.Entry<Value, Value> e : h.entries().entrySet()) outHeaders.put(e.getKey(), e.getValue());
    outHeaders.put("Authorization", str("AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature));
    outHeaders.put("host", str(headers.get("host")));
    outHeaders.put("x-amz-content-sha256", str(payloadHash));
    outHeaders.put("x-amz-date", str(amzDate));
    if (sessionToken != null) outHeaders.put("x-amz-security-token", str(sessionToken));
    return req.with(new StringValue("headers"), outHeaders.build());
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
