package dev.tally.error;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A failure the caller can act on. The HTTP layer renders it as an {@code error.list} body with
 * the status of its first error's code.
 */
public class TallyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<TallyError> errors;

    public TallyException(List<TallyError> errors) {
        super(
                requireNonNull(errors, "errors is null").isEmpty()
                        ? "no errors"
                        : errors.get(0).message());
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors is empty");
        }
        this.errors = List.copyOf(errors);
    }

    public TallyException(TallyError error) {
        this(List.of(error));
    }

    public TallyException(ErrorCode code, String message) {
        this(TallyError.of(code, message));
    }

    public TallyException(ErrorCode code, String message, String field) {
        this(TallyError.of(code, message, field));
    }

    public static TallyException invalid(String field, String message) {
        return new TallyException(ErrorCode.PARAMETER_INVALID, message, field);
    }

    public static TallyException missing(String field, String message) {
        return new TallyException(ErrorCode.PARAMETER_NOT_FOUND, message, field);
    }

    public List<TallyError> errors() {
        return errors;
    }

    public ErrorCode code() {
        return errors.get(0).code();
    }

    /** The first error's message; never null, unlike {@link Throwable#getMessage()} in general. */
    @Override
    public String getMessage() {
        return errors.get(0).message();
    }
}
