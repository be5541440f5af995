package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.TimeBuiltinsTest.call;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.s;
import static io.portcullis.policy.builtins.TimeBuiltinsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.Value;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Crypto builtins against the PEM/DER inputs of OPA's crypto conformance cases. */
class CryptoBuiltinsTest {
  private static final File CASES = new File(System.getProperty("portcullis.shared", "../../shared"), "rego-conformance/cases/v1");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The string assigned to name in the first module of each case of a topic directory. */
  private static List<String[]> inputs(String topic, String name) throws Exception {
    List<String[]> out = new ArrayList<>();
    File[] files = new File(CASES, topic).listFiles();
    if (files == null) return out;
    java.util.Arrays.sort(files);
    Pattern quoted = Pattern.compile(name + " := (\"(?:[^\"\\\\]++|\\\\.)*+\")");
    Pattern raw = Pattern.compile(name + " := `([^`]*)`");
    for (File f : files) {
      for (JsonNode c : YAML.readTree(f).get("cases")) {
        String module = c.get("modules").get(0).asText();
        Matcher m = quoted.matcher(module);
        String value = null;
        if (m.find()) value = new ObjectMapper().readValue(m.group(1), String.class);
        Matcher r = raw.matcher(module);
        if (value == null && r.find()) value = r.group(1);
        if (value != null) out.add(new String[] {c.get("note").asText(), value, c.toString()});
      }
    }
    return out;
  }

  @Test
  void hashesAndHmacs() throws Exception {
    assertEquals("\"80a751fde577028640c419000e33eba6\"", text(call("crypto.md5", s("lorem ipsum"))));
    assertEquals("\"bfb7759a67daeb65410490b4d98bb9da7d1ea2ce\"", text(call("crypto.sha1", s("lorem ipsum"))));
    assertEquals("\"5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269\"", text(call("crypto.sha256", s("lorem ipsum"))));
    assertEquals("\"31b6db9e5eb4addb42f1a6ca07367adc\"", text(call("crypto.hmac.md5", s("foo"), s("bar"))));
    assertEquals("\"147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851\"", text(call("crypto.hmac.sha256", s("foo"), s("bar"))));
    assertEquals("\"eb90daeb76d4b2571fbdaf94bbb240809faa8fed93ec0c260dd38c3fdf8d963a\"",
        text(call("crypto.hmac.sha256", s("åäöçß🥲♙Ω"), s("秘密の"))));
    assertEquals("true", text(call("crypto.hmac.equal", s("31b6"), s("31b6"))));
    assertEquals("false", text(call("crypto.hmac.equal", s("31b6db"), s("31b6"))));
  }

  @Test
  void parseCertificates() throws Exception {
    List<String[]> cases = inputs("cryptox509parsecertificates", "certs");
    assertTrue(cases.size() >= 5, "cases found: " + cases.size());
    for (String[] c : cases) {
      String note = c[0];
      if (note.contains("invalid")) {
        BuiltinException e = assertThrows(BuiltinException.class, () -> call("crypto.x509.parse_certificates", s(c[1])));
        assertTrue(e.getMessage().contains("illegal base64"), e.getMessage());
        continue;
      }
      ArrayValue certs = (ArrayValue) call("crypto.x509.parse_certificates", s(c[1]));
      JsonNode want = new ObjectMapper().readTree(c[2]).get("want_result").get(0).get("x");
      if (note.contains("uri_strings")) {
        Value got = ((ObjectValue) certs.get(0)).get("URIStrings");
        assertEquals(want.toString(), Json.toJson(got).toString(), note);
      } else {
        List<String> cns = new ArrayList<>();
        for (Value v : certs.elements()) cns.add(Json.toJson(((ObjectValue) ((ObjectValue) v).get("Subject")).get("CommonName")).toString());
        assertEquals(want.toString(), "[" + String.join(",", cns) + "]", note);
      }
    }
  }

  @Test
  void parseAndVerify() throws Exception {
    for (String[] c : inputs("cryptox509parseandverifycertificates", "certs")) {
      ArrayValue result = (ArrayValue) call("crypto.x509.parse_and_verify_certificates", s(c[1]));
      JsonNode want = new ObjectMapper().readTree(c[2]).get("want_result").get(0).get("x");
      assertEquals(want.get("valid").asBoolean(), Boolean.parseBoolean(text(result.get(0))), c[0]);
      List<String> got = new ArrayList<>();
      for (Value v : ((ArrayValue) result.get(1)).elements()) {
        ObjectValue cert = (ObjectValue) v;
        got.add("{\"CN\":" + Json.toJson(((ObjectValue) cert.get("Subject")).get("CommonName")) + ",\"DNS\":"
            + Json.toJson(cert.get("DNSNames")) + ",\"URI\":" + Json.toJson(cert.get("URIStrings")) + "}");
      }
      assertEquals(want.get("certs").toString(), "[" + String.join(",", got) + "]", c[0]);
    }
  }

  @Test
  void parseCertificateRequest() throws Exception {
    for (String[] c : inputs("cryptox509parsecertificaterequest", "csr")) {
      if (c[0].contains("invalid")) {
        assertThrows(BuiltinException.class, () -> call("crypto.x509.parse_certificate_request", s(c[1])));
        continue;
      }
      ObjectValue csr = (ObjectValue) call("crypto.x509.parse_certificate_request", s(c[1]));
      assertEquals("\"example.com\"", text(((ObjectValue) csr.get("Subject")).get("CommonName")), c[0]);
    }
  }

  @Test
  void privateKeys() throws Exception {
    for (String[] c : inputs("cryptox509parsersaprivatekey", "pem")) {
      JsonNode want = new ObjectMapper().readTree(c[2]).get("want_result").get(0).get("x");
      assertEquals(want.toString(), Json.toJson(call("crypto.x509.parse_rsa_private_key", s(c[1]))).toString());
    }
    assertThrows(BuiltinException.class, () -> call("crypto.x509.parse_rsa_private_key", s("invalid")));
    for (String[] c : inputs("cryptoparsersaprivatekeys", "pem")) {
      Value keys = call("crypto.parse_private_keys", s(c[1]));
      if (c[1].startsWith("-----")) assertEquals(1, ((ArrayValue) keys).size());
      else if (c[1].isEmpty()) assertEquals("null", text(keys));
      else assertEquals("[]", text(keys));
    }
  }
}
