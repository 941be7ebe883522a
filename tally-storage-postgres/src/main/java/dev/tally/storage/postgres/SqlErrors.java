package dev.tally.storage.postgres;

import dev.tally.error.ErrorCode;
import dev.tally.error.StoreUnavailableException;
import dev.tally.error.TallyException;
import java.sql.SQLException;
import java.util.Optional;

/** Turns {@link SQLException}s into Tally's failures, and says which are worth retrying. */
final class SqlErrors {
    static final String UNIQUE_VIOLATION = "23505";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private SqlErrors() {}

    /**
     * Deadlocks and serialization failures say nothing about the data: the same transaction run
     * again succeeds, so they are retried rather than surfaced.
     */
    static boolean isRetryable(SQLException e) {
        String state = Optional.ofNullable(e.getSQLState()).orElse("");
        return state.equals(SERIALIZATION_FAILURE) || state.equals(DEADLOCK_DETECTED);
    }

    static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /**
     * A data exception (class 22: a NUL character in text, a number out of range) is the
     * request's fault and answered with 400; everything else (connection lost, pool exhausted,
     * disk full, database shutting down) means the store cannot serve now: 503, and the client
     * retries.
     */
    static TallyException translate(String action, SQLException e) {
        String state = Optional.ofNullable(e.getSQLState()).orElse("");
        if (state.startsWith("22")) {
            TallyException invalid = new TallyException(
                    ErrorCode.PARAMETER_INVALID, "PostgreSQL cannot store this value: " + e.getMessage());
            invalid.initCause(e);
            return invalid;
        }
        return new StoreUnavailableException(
                "PostgreSQL could not " + action + " (SQLSTATE " + state + "): " + e.getMessage(), e);
    }
}
