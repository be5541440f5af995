package io.portcullis.attest.verify;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Reads the signer identity out of a Fulcio certificate: the subject alternative names (email,
 * URI, or Fulcio's otherName username) and the OIDC issuer extension (v2 DER form
 * {@code 1.3.6.1.4.1.57264.1.8}, or the older raw form {@code 1.3.6.1.4.1.57264.1.1}).
 */
public record FulcioCertificate(List<String> subjectAlternativeNames, String issuer) {
  private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  private static final String OTHERNAME_USERNAME = "1.3.6.1.4.1.57264.1.7";

  public static FulcioCertificate of(X509Certificate cert) {
    return new FulcioCertificate(sans(cert), issuer(cert));
  }

  /** The first SAN, for the report. */
  public String identity() {
    return subjectAlternativeNames.isEmpty() ? null : subjectAlternativeNames.get(0);
  }

  private static List<String> sans(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      byte[] ext = cert.getExtensionValue("2.5.29.17");
      if (ext == null) {
        return out;
      }
      GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      for (GeneralName n : names.getNames()) {
        switch (n.getTagNo()) {
          case GeneralName.rfc822Name, GeneralName.uniformResourceIdentifier, GeneralName.dNSName ->
              out.add(((ASN1String) n.getName()).getString());
          case GeneralName.otherName -> {
            ASN1Sequence seq = ASN1Sequence.getInstance(n.getName());
            if (seq.getObjectAt(0).toString().equals(OTHERNAME_USERNAME)) {
              ASN1Encodable value = ASN1TaggedObject.getInstance(seq.getObjectAt(1)).getExplicitBaseObject();
              out.add(((ASN1String) value).getString());
            }
          }
          default -> { }
        }
      }
    } catch (RuntimeException e) {
      // an unreadable SAN is no identity
    }
    return out;
  }

  private static String issuer(X509Certificate cert) {
    try {
      byte[] v2 = cert.getExtensionValue(ISSUER_V2);
      if (v2 != null) {
        ASN1Primitive p = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        return ((ASN1String) p).getString();
      }
      byte[] v1 = cert.getExtensionValue(ISSUER_V1);
      if (v1 != null) {
        return new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // fall through: no readable issuer
    }
    return null;
  }
}
