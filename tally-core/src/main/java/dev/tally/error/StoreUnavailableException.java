package dev.tally.error;

/**
 * The store could not read or commit (disk full, I/O error, database down). Answered with 503 and
 * {@code Retry-After}; never with a 202.
 */
public final class StoreUnavailableException extends TallyException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, message);
        initCause(cause);
    }
}
