package io.portcullis.gateway.auth;

import io.javalin.http.Context;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Maps the client certificate that TLS verified against {@code http.tls.client_ca} to a user name. The
 * name then gets the groups and access rules configured for it, exactly as an htpasswd user does.
 */
public final class ClientCertificates {
  /** The attribute the servlet layer puts the verified client chain under. */
  private static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
  private static final int SAN_EMAIL = 1;
  private static final int SAN_DNS = 2;
  private static final int MAX_NAME = 255;

  /** Which part of the certificate names the user. */
  public enum Field {
    /** The subject's common name (the most specific one when there are several). */
    CN,
    /** The first e-mail address among the subject alternative names. */
    EMAIL,
    /** The first DNS name among the subject alternative names. */
    DNS;

    public static Field parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("must be cn, email or dns, not '" + text + "'");
      }
    }
  }

  private ClientCertificates() {}

  /** The client's verified leaf certificate, when the connection carries one. */
  public static Optional<X509Certificate> of(Context ctx) {
    Object chain = ctx.req().getAttribute(ATTRIBUTE);
    if (chain instanceof X509Certificate[] certs && certs.length > 0) return Optional.of(certs[0]);
    return Optional.empty();
  }

  /** The user name the certificate carries in {@code field}; empty when it has none (or an unusable one). */
  public static Optional<String> userOf(X509Certificate cert, Field field) {
    String name = switch (field) {
      case CN -> commonName(cert);
      case EMAIL -> alternativeName(cert, SAN_EMAIL);
      case DNS -> alternativeName(cert, SAN_DNS);
    };
    if (name == null) return Optional.empty();
    name = name.strip();
    if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) return Optional.empty();
    return Optional.of(name);
  }

  private static String commonName(X509Certificate cert) {
    try {
      String cn = null;
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        // LdapName lists the RDNs most significant (C=, O=) first: the last CN is the most specific one.
        if (rdn.getType().equalsIgnoreCase("CN")) cn = String.valueOf(rdn.getValue());
      }
      return cn;
    } catch (InvalidNameException e) {
      return null;
    }
  }

  private static String alternativeName(X509Certificate cert, int type) {
    try {
      var names = cert.getSubjectAlternativeNames();
      if (names == null) return null;
      for (List<?> entry : names) {
        if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type && entry.get(1) instanceof String s) return s;
      }
      return null;
    } catch (CertificateParsingException e) {
      return null;
    }
  }
}
