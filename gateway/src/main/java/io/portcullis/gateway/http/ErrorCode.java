package io.portcullis.gateway.http;

/** The distribution-spec error codes, each with its message and HTTP status. */
public enum ErrorCode {
  BLOB_UNKNOWN("blob unknown to registry", 404),
  BLOB_UPLOAD_INVALID("blob upload invalid", 400),
  BLOB_UPLOAD_UNKNOWN("blob upload unknown to registry", 404),
  DIGEST_INVALID("provided digest did not match uploaded content", 400),
  MANIFEST_BLOB_UNKNOWN("manifest references a manifest or blob unknown to registry", 400),
  MANIFEST_INVALID("manifest invalid", 400),
  MANIFEST_UNKNOWN("manifest unknown to registry", 404),
  NAME_INVALID("invalid repository name", 400),
  NAME_UNKNOWN("repository name not known to registry", 404),
  SIZE_INVALID("provided length did not match content length", 400),
  UNAUTHORIZED("authentication required", 401),
  DENIED("requested access to the resource is denied", 403),
  UNSUPPORTED("the operation is unsupported", 405),
  TOOMANYREQUESTS("too many requests", 429),
  /** Not a spec code: a failure of the registry itself (disk, database). */
  UNKNOWN("unknown error", 500);

  private final String message;
  private final int status;

  ErrorCode(String message, int status) {
    this.message = message;
    this.status = status;
  }

  public String message() { return message; }

  public int status() { return status; }
}
