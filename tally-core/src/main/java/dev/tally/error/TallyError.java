package dev.tally.error;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One entry of an {@code error.list}: what went wrong and, where it helps, which field. */
public record TallyError(ErrorCode code, String message, Optional<String> field) {
    public TallyError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(field, "field is null");
    }

    public static TallyError of(ErrorCode code, String message) {
        return new TallyError(code, message, Optional.empty());
    }

    public static TallyError of(ErrorCode code, String message, String field) {
        return new TallyError(code, message, Optional.of(field));
    }
}
