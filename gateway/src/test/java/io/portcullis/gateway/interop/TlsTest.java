package io.portcullis.gateway.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.gateway.ConfigFile;
import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files: Java's HTTP client and Debian's skopeo verify the certificate and talk to the registry. */
class TlsTest {
  @Test
  void theRegistryServesHttpsFromPemFiles(@TempDir Path dir) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    KeyPair kp = gen.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 60_000),
        new Date(now + 86_400_000L), name, kp.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    Files.writeString(dir.resolve("server.crt"), pem(cert));
    // PKCS#8, as openssl genpkey writes it
    Files.writeString(dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    Files.writeString(dir.resolve("portcullis.yaml"),
        "http:\n  port: 0\n  tls:\n    certificate: server.crt\n    key: server.key\nstorage:\n  root: data\n");

    try (PortcullisServer server = PortcullisServer.start(ConfigFile.load(dir.resolve("portcullis.yaml"), ServerConfig.defaults()))) {
      assertEquals("https", server.baseUri().getScheme());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("registry", cert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
      HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertThrows(Exception.class, () -> HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/")).build(), HttpResponse.BodyHandlers.ofString()),
          "a client that does not trust the certificate is refused");

      // skopeo verifies the certificate with the CA in its cert directory (no --tls-verify=false).
      Path skopeo = Cmd.which("skopeo");
      assertNotNull(skopeo, "skopeo is not installed: run `apt-get install -y skopeo` (.ci/run installs it)");
      Path certs = Files.createDirectories(dir.resolve("certs"));
      Files.writeString(certs.resolve("ca.crt"), pem(cert));
      Path policy = dir.resolve("policy.json");
      Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      OciLayout src = new OciLayout(dir.resolve("src"));
      src.tag(src.image("amd64", 1).manifest(), "v1");
      List<String> cmd = new ArrayList<>(List.of(skopeo.toString(), "--policy", policy.toString(), "copy", "--dest-cert-dir", certs.toString(),
          "oci:" + src.dir() + ":v1", "docker://127.0.0.1:" + server.port() + "/tls/app:v1"));
      Cmd.run(cmd, 120).ok();
      assertEquals(200, https.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/tls/app/tags/list")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
