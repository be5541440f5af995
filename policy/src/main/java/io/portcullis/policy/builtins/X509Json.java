package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.Value;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON form of Go's x509.Certificate / x509.CertificateRequest, as OPA returns them. */
final class X509Json {
  private X509Json() {}

  private static final Map<String, Integer> SIGNATURE_ALGORITHMS = Map.ofEntries(
      Map.entry("1.2.840.113549.1.1.2", 1), Map.entry("1.2.840.113549.1.1.4", 2), Map.entry("1.2.840.113549.1.1.5", 3),
      Map.entry("1.2.840.113549.1.1.11", 4), Map.entry("1.2.840.113549.1.1.12", 5), Map.entry("1.2.840.113549.1.1.13", 6),
      Map.entry("1.2.840.10040.4.3", 7), Map.entry("2.16.840.1.101.3.4.3.2", 8), Map.entry("1.2.840.10045.4.1", 9),
      Map.entry("1.2.840.10045.4.3.2", 10), Map.entry("1.2.840.10045.4.3.3", 11), Map.entry("1.2.840.10045.4.3.4", 12),
      Map.entry("1.2.840.113549.1.1.10", 13), Map.entry("1.3.101.112", 16));
  private static final Map<String, Integer> PUBLIC_KEY_ALGORITHMS = Map.of(
      "1.2.840.113549.1.1.1", 1, "1.2.840.10040.4.1", 2, "1.2.840.10045.2.1", 3, "1.3.101.112", 4);
  private static final Map<String, Integer> EXT_KEY_USAGES = Map.ofEntries(
      Map.entry("2.5.29.37.0", 0), Map.entry("1.3.6.1.5.5.7.3.1", 1), Map.entry("1.3.6.1.5.5.7.3.2", 2),
      Map.entry("1.3.6.1.5.5.7.3.3", 3), Map.entry("1.3.6.1.5.5.7.3.4", 4), Map.entry("1.3.6.1.5.5.7.3.5", 5),
      Map.entry("1.3.6.1.5.5.7.3.6", 6), Map.entry("1.3.6.1.5.5.7.3.7", 7), Map.entry("1.3.6.1.5.5.7.3.8", 8),
      Map.entry("1.3.6.1.5.5.7.3.9", 9), Map.entry("1.3.6.1.4.1.311.10.3.3", 10), Map.entry("2.16.840.1.113730.4.1", 11),
      Map.entry("1.3.6.1.4.1.311.2.1.22", 12), Map.entry("1.3.6.1.4.1.311.61.1.1", 13));

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  static Value certificate(X509Certificate c) throws BuiltinException {
    try {
      byte[] raw = c.getEncoded();
      Der cert = Der.read(raw);
      Der tbs = cert.child(0);
      List<Der> tbsParts = tbs.children();
      int i = tbsParts.get(0).isContext(0) ? 1 : 0;
      Der issuer = tbsParts.get(i + 2);
      Der subject = tbsParts.get(i + 4);
      Der spki = tbsParts.get(i + 5);
      ObjectValue.Builder o = ObjectValue.builder();
      o.put("Raw", b64(raw));
      o.put("RawTBSCertificate", b64(tbs.encoded()));
      o.put("RawSubjectPublicKeyInfo", b64(spki.encoded()));
      o.put("RawSubject", b64(subject.encoded()));
      o.put("RawIssuer", b64(issuer.encoded()));
      o.put("Signature", b64(c.getSignature()));
      o.put("SignatureAlgorithm", NumberValue.of(SIGNATURE_ALGORITHMS.getOrDefault(c.getSigAlgOID(), 0)));
      o.put("PublicKeyAlgorithm", NumberValue.of(PUBLIC_KEY_ALGORITHMS.getOrDefault(spki.child(0).child(0).oidString(), 0)));
      o.put("PublicKey", CryptoBuiltins.publicKey(c.getPublicKey()));
      o.put("Version", NumberValue.of(c.getVersion()));
      o.put("SerialNumber", NumberValue.of(c.getSerialNumber()));
      o.put("Issuer", name(issuer));
      o.put("Subject", name(subject));
      o.put("NotBefore", str(RFC3339.format(c.getNotBefore().toInstant())));
      o.put("NotAfter", str(RFC3339.format(c.getNotAfter().toInstant())));
      boolean[] ku = c.getKeyUsage();
      int keyUsage = 0;
      if (ku != null) for (int k = 0; k < ku.length && k < 9; k++) if (ku[k]) keyUsage |= 1 << k;
      o.put("KeyUsage", NumberValue.of(keyUsage));
      List<Value> extensions = new ArrayList<>();
      List<Der> exts = new ArrayList<>();
      for (Der part : tbsParts) if (part.isContext(3)) exts = part.child(0).children();
      Value extKeyUsage = NullValue.NULL;
      Value unknownExtKeyUsage = NullValue.NULL;
      boolean basicConstraintsValid = false;
      boolean isCa = false;
      int maxPathLen = -1;
      boolean maxPathLenZero = false;
      Value subjectKeyId = NullValue.NULL;
      Value authorityKeyId = NullValue.NULL;
      Value ocsp = NullValue.NULL;
      Value issuingUrls = NullValue.NULL;
      Value crlPoints = NullValue.NULL;
      Value policies = NullValue.NULL;
      for (Der ext : exts) {
        List<Der> parts = ext.children();
        String oid = parts.get(0).oidString();
        boolean critical = parts.size() > 2 && parts.get(1).tag == 0x01 && parts.get(1).content()[0] != 0;
        Der value = parts.get(parts.size() - 1);
        extensions.add(ObjectValue.builder()
            .put("Id", oidArray(parts.get(0)))
            .put("Critical", BooleanValue.of(critical))
            .put("Value", b64(value.content()))
            .build());
        Der inner = Der.read(value.content());
        switch (oid) {
          case "2.5.29.37" -> {
            List<Value> known = new ArrayList<>();
            List<Value> unknown = new ArrayList<>();
            for (Der u : inner.children()) {
              Integer k = EXT_KEY_USAGES.get(u.oidString());
              if (k != null) known.add(NumberValue.of(k));
              else unknown.add(oidArray(u));
            }
            extKeyUsage = known.isEmpty() ? NullValue.NULL : new ArrayValue(known);
            unknownExtKeyUsage = unknown.isEmpty() ? NullValue.NULL : new ArrayValue(unknown);
          }
          case "2.5.29.19" -> {
            basicConstraintsValid = true;
            for (Der p : inner.children()) {
              if (p.tag == 0x01) isCa = p.content()[0] != 0;
              if (p.tag == 0x02) {
                maxPathLen = p.integer().intValue();
                maxPathLenZero = maxPathLen == 0;
              }
            }
          }
          case "2.5.29.14" -> subjectKeyId = b64(inner.content());
          case "2.5.29.35" -> {
            for (Der p : inner.children()) if (p.isContext(0)) authorityKeyId = b64(p.content());
          }
          case "1.3.6.1.5.5.7.1.1" -> {
            List<Value> o1 = new ArrayList<>();
            List<Value> o2 = new ArrayList<>();
            for (Der ad : inner.children()) {
              String method = ad.child(0).oidString();
              Der loc = ad.child(1);
              if (!loc.isContext(6)) continue;
              if (method.equals("1.3.6.1.5.5.7.48.1")) o1.add(str(loc.string()));
              else if (method.equals("1.3.6.1.5.5.7.48.2")) o2.add(str(loc.string()));
            }
            ocsp = o1.isEmpty() ? NullValue.NULL : new ArrayValue(o1);
            issuingUrls = o2.isEmpty() ? NullValue.NULL : new ArrayValue(o2);
          }
          case "2.5.29.31" -> {
            List<Value> urls = new ArrayList<>();
            collectUris(inner, urls);
            crlPoints = urls.isEmpty() ? NullValue.NULL : new ArrayValue(urls);
          }
          case "2.5.29.32" -> {
            List<Value> ids = new ArrayList<>();
            for (Der p : inner.children()) ids.add(oidArray(p.child(0)));
            policies = ids.isEmpty() ? NullValue.NULL : new ArrayValue(ids);
          }
          default -> { }
        }
      }
      o.put("Extensions", extensions.isEmpty() ? NullValue.NULL : new ArrayValue(extensions));
      o.put("ExtraExtensions", NullValue.NULL);
      o.put("UnhandledCriticalExtensions", NullValue.NULL);
      o.put("ExtKeyUsage", extKeyUsage);
      o.put("UnknownExtKeyUsage", unknownExtKeyUsage);
      o.put("BasicConstraintsValid", BooleanValue.of(basicConstraintsValid));
      o.put("IsCA", BooleanValue.of(isCa));
      o.put("MaxPathLen", NumberValue.of(basicConstraintsValid ? maxPathLen : 0));
      o.put("MaxPathLenZero", BooleanValue.of(maxPathLenZero));
      o.put("SubjectKeyId", subjectKeyId);
      o.put("AuthorityKeyId", authorityKeyId);
      o.put("OCSPServer", ocsp);
      o.put("IssuingCertificateURL", issuingUrls);
      o.put("CRLDistributionPoints", crlPoints);
      o.put("PolicyIdentifiers", policies);
      o.put("Policies", NullValue.NULL);
      sans(sanLists(c.getSubjectAlternativeNames()), o);
      o.put("PermittedDNSDomainsCritical", BooleanValue.FALSE);
      for (String f : new String[] {"PermittedDNSDomains", "ExcludedDNSDomains", "PermittedIPRanges", "ExcludedIPRanges",
          "PermittedEmailAddresses", "ExcludedEmailAddresses", "PermittedURIDomains", "ExcludedURIDomains"}) {
        o.put(f, NullValue.NULL);
      }
      return o.build();
    } catch (CertificateEncodingException | CertificateParsingException | RuntimeException e) {
      throw BuiltinException.failure("crypto.x509.parse_certificates", "x509: " + e.getMessage());
    }
  }

  private static void collectUris(Der d, List<Value> out) {
    if (d.isContext(6)) {
      out.add(str(d.string()));
      return;
    }
    boolean constructed = (d.tag & 0x20) != 0;
    if (constructed) for (Der c : d.children()) collectUris(c, out);
  }

  /** SANs as [type, value] pairs (2 DNS, 1 email, 6 URI, 7 IP). */
  private static List<Object[]> sanLists(Collection<List<?>> sans) {
    List<Object[]> out = new ArrayList<>();
    if (sans == null) return out;
    for (List<?> san : sans) out.add(new Object[] {san.get(0), san.get(1)});
    return out;
  }

  private static void sans(List<Object[]> sans, ObjectValue.Builder o) {
    List<Value> dns = new ArrayList<>();
    List<Value> emails = new ArrayList<>();
    List<Value> ips = new ArrayList<>();
    List<Value> uris = new ArrayList<>();
    List<Value> uriStrings = new ArrayList<>();
    for (Object[] san : sans) {
      int type = (Integer) san[0];
      String value = String.valueOf(san[1]);
      switch (type) {
        case 2 -> dns.add(str(value));
        case 1 -> emails.add(str(value));
        case 7 -> ips.add(str(value));
        case 6 -> {
          uriStrings.add(str(value));
          uris.add(uri(value));
        }
        default -> { }
      }
    }
    o.put("DNSNames", dns.isEmpty() ? NullValue.NULL : new ArrayValue(dns));
    o.put("EmailAddresses", emails.isEmpty() ? NullValue.NULL : new ArrayValue(emails));
    o.put("IPAddresses", ips.isEmpty() ? NullValue.NULL : new ArrayValue(ips));
    o.put("URIs", uris.isEmpty() ? NullValue.NULL : new ArrayValue(uris));
    o.put("URIStrings", uriStrings.isEmpty() ? NullValue.NULL : new ArrayValue(uriStrings));
  }

  /** Go's url.URL as JSON. */
  private static Value uri(String s) {
    ObjectValue.Builder b = ObjectValue.builder();
    String scheme = "";
    String host = "";
    String path = s;
    String query = "";
    String fragment = "";
    String opaque = "";
    try {
      URI u = new URI(s);
      scheme = u.getScheme() == null ? "" : u.getScheme();
      host = u.getRawAuthority() == null ? "" : u.getRawAuthority();
      path = u.getPath() == null ? "" : u.getPath();
      query = u.getRawQuery() == null ? "" : u.getRawQuery();
      fragment = u.getFragment() == null ? "" : u.getFragment();
      opaque = u.isOpaque() ? u.getRawSchemeSpecificPart() : "";
    } catch (java.net.URISyntaxException e) {
      // keep the whole text as the path
    }
    return b.put("Scheme", str(scheme)).put("Opaque", str(opaque)).put("User", NullValue.NULL).put("Host", str(host))
        .put("Path", str(path)).put("RawPath", str("")).put("OmitHost", BooleanValue.FALSE).put("ForceQuery", BooleanValue.FALSE)
        .put("RawQuery", str(query)).put("Fragment", str(fragment)).put("RawFragment", str("")).build();
  }

  private static Value b64(byte[] b) { return str(Base64.getEncoder().encodeToString(b)); }

  private static Value oidArray(Der oid) {
    List<Value> arcs = new ArrayList<>();
    for (long a : oid.oid()) arcs.add(NumberValue.of(a));
    return new ArrayValue(arcs);
  }

  /** Go's pkix.Name. */
  static Value name(Der name) {
    TreeMap<String, List<Value>> multi = new TreeMap<>();
    String serial = "";
    String cn = "";
    List<Value> names = new ArrayList<>();
    for (Der rdn : name.children()) {
      for (Der atv : rdn.children()) {
        Der type = atv.child(0);
        Der value = atv.child(1);
        String oid = type.oidString();
        String text = value.string();
        names.add(ObjectValue.builder().put("Type", oidArray(type)).put("Value", str(text)).build());
        String field = switch (oid) {
          case "2.5.4.6" -> "Country";
          case "2.5.4.10" -> "Organization";
          case "2.5.4.11" -> "OrganizationalUnit";
          case "2.5.4.7" -> "Locality";
          case "2.5.4.8" -> "Province";
          case "2.5.4.9" -> "StreetAddress";
          case "2.5.4.17" -> "PostalCode";
          default -> null;
        };
        if (field != null) multi.computeIfAbsent(field, k -> new ArrayList<>()).add(str(text));
        else if (oid.equals("2.5.4.3")) cn = text;
        else if (oid.equals("2.5.4.5")) serial = text;
      }
    }
    ObjectValue.Builder b = ObjectValue.builder();
    for (String f : new String[] {"Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress", "PostalCode"}) {
      List<Value> v = multi.get(f);
      b.put(f, v == null ? NullValue.NULL : new ArrayValue(v));
    }
    b.put("SerialNumber", str(serial));
    b.put("CommonName", str(cn));
    b.put("Names", names.isEmpty() ? NullValue.NULL : new ArrayValue(names));
    b.put("ExtraNames", NullValue.NULL);
    return b.build();
  }

  static Value certificateRequest(byte[] der) {
    Der csr = Der.read(der);
    Der info = csr.child(0);
    List<Der> parts = info.children();
    Der subject = parts.get(1);
    Der spki = parts.get(2);
    ObjectValue.Builder o = ObjectValue.builder();
    o.put("Raw", b64(der));
    o.put("RawTBSCertificateRequest", b64(info.encoded()));
    o.put("RawSubjectPublicKeyInfo", b64(spki.encoded()));
    o.put("RawSubject", b64(subject.encoded()));
    o.put("Version", NumberValue.of(parts.get(0).integer()));
    o.put("Signature", b64(Der.read(csr.child(2).encoded()).content()));
    o.put("SignatureAlgorithm", NumberValue.of(SIGNATURE_ALGORITHMS.getOrDefault(csr.child(1).child(0).oidString(), 0)));
    o.put("PublicKeyAlgorithm", NumberValue.of(PUBLIC_KEY_ALGORITHMS.getOrDefault(spki.child(0).child(0).oidString(), 0)));
    o.put("PublicKey", NullValue.NULL);
    o.put("Subject", name(subject));
    List<Value> extensions = new ArrayList<>();
    List<Object[]> sans = new ArrayList<>();
    if (parts.size() > 3 && parts.get(3).isContext(0)) {
      for (Der attr : parts.get(3).children()) {
        if (!attr.child(0).oidString().equals("1.2.840.113549.1.9.14")) continue;
        for (Der set : attr.child(1).children()) {
          for (Der ext : set.children()) {
            List<Der> e = ext.children();
            Der value = e.get(e.size() - 1);
            boolean critical = e.size() > 2 && e.get(1).content()[0] != 0;
            extensions.add(ObjectValue.builder().put("Id", oidArray(e.get(0))).put("Critical", BooleanValue.of(critical))
                .put("Value", b64(value.content())).build());
            if (e.get(0).oidString().equals("2.5.29.17")) {
              for (Der gn : Der.read(value.content()).children()) {
                int tag = gn.tag & 0x1f;
                if (tag == 7) {
                  byte[] ip = gn.content();
                  try {
                    sans.add(new Object[] {7, java.net.InetAddress.getByAddress(ip).getHostAddress()});
                  } catch (java.net.UnknownHostException ignored) {
                    // not an address
                  }
                } else if (tag == 1 || tag == 2 || tag == 6) {
                  sans.add(new Object[] {tag, gn.string()});
                }
              }
            }
          }
        }
      }
    }
    o.put("Extensions", extensions.isEmpty() ? NullValue.NULL : new ArrayValue(extensions));
    o.put("ExtraExtensions", NullValue.NULL);
    o.put("Attributes", NullValue.NULL);
    sans(sans, o);
    return o.build();
  }
}
