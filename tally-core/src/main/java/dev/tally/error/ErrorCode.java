package dev.tally.error;

/**
 * Every failure Tally reports, with the HTTP status and the wire {@code code} Intercom's clients
 * know. One enum so that a new failure cannot be added without choosing both.
 */
public enum ErrorCode {
    MISSING_AUTHORIZATION(401, "missing_authorization"),
    UNAUTHORIZED(401, "unauthorized"),
    TOKEN_REVOKED(401, "token_revoked"),
    TOKEN_UNAUTHORIZED(403, "token_unauthorized"),
    ACTION_FORBIDDEN(403, "action_forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    PARAMETER_INVALID(400, "parameter_invalid"),
    PARAMETER_NOT_FOUND(400, "parameter_not_found"),
    INTERCOM_VERSION_INVALID(400, "intercom_version_invalid"),
    CONFLICT(409, "conflict"),
    CONTACT_MERGED(410, "contact_merged"),
    REQUEST_TIMEOUT(408, "request_timeout"),
    REQUEST_TOO_LARGE(413, "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    RATE_LIMIT_EXCEEDED(429, "rate_limit_exceeded"),
    SERVER_ERROR(500, "server_error"),
    SERVICE_UNAVAILABLE(503, "service_unavailable");

    private final int httpStatus;
    private final String wireCode;

    ErrorCode(int httpStatus, String wireCode) {
        this.httpStatus = httpStatus;
        this.wireCode = wireCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wireCode() {
        return wireCode;
    }
}
