package io.portcullis.gateway.conformance;

import java.util.Set;

/** The error codes of distribution-spec v1.1 (code-1 to code-14). */
public final class ErrorCodes {
  private ErrorCodes() {}

  public static final String BLOB_UNKNOWN = "BLOB_UNKNOWN";
  public static final String BLOB_UPLOAD_INVALID = "BLOB_UPLOAD_INVALID";
  public static final String BLOB_UPLOAD_UNKNOWN = "BLOB_UPLOAD_UNKNOWN";
  public static final String DIGEST_INVALID = "DIGEST_INVALID";
  public static final String MANIFEST_BLOB_UNKNOWN = "MANIFEST_BLOB_UNKNOWN";
  public static final String MANIFEST_INVALID = "MANIFEST_INVALID";
  public static final String MANIFEST_UNKNOWN = "MANIFEST_UNKNOWN";
  public static final String NAME_INVALID = "NAME_INVALID";
  public static final String NAME_UNKNOWN = "NAME_UNKNOWN";
  public static final String SIZE_INVALID = "SIZE_INVALID";
  public static final String UNAUTHORIZED = "UNAUTHORIZED";
  public static final String DENIED = "DENIED";
  public static final String UNSUPPORTED = "UNSUPPORTED";
  public static final String TOOMANYREQUESTS = "TOOMANYREQUESTS";

  public static final Set<String> ALL = Set.of(BLOB_UNKNOWN, BLOB_UPLOAD_INVALID, BLOB_UPLOAD_UNKNOWN, DIGEST_INVALID,
      MANIFEST_BLOB_UNKNOWN, MANIFEST_INVALID, MANIFEST_UNKNOWN, NAME_INVALID, NAME_UNKNOWN, SIZE_INVALID,
      UNAUTHORIZED, DENIED, UNSUPPORTED, TOOMANYREQUESTS);
}
