package dev.tally.error;

import org.jspecify.annotations.Nullable;

/**
 * The store could not read or commit (disk full, I/O error, database down). Answered with 503 and
 * {@code Retry-After}; never with a 202.
 */
public final class StoreUnavailableException extends TallyException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, @Nullable Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, message);
        initCause(cause);
    }
}
