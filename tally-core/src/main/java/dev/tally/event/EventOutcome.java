package dev.tally.event;

import static java.util.Objects.requireNonNull;

import dev.tally.error.TallyError;
import java.util.List;

/** What happened to one submitted event: accepted (stored or a duplicate), or rejected with errors. */
public sealed interface EventOutcome {

    /** Durably stored, or a duplicate of a stored event. {@code ignoredKeys} were not kept. */
    record Accepted(AppendResult.Status status, List<String> ignoredKeys) implements EventOutcome {
        public Accepted {
            requireNonNull(status, "status is null");
            ignoredKeys = List.copyOf(ignoredKeys);
        }
    }

    /** Not stored; the errors say why. */
    record Rejected(List<TallyError> errors) implements EventOutcome {
        public Rejected {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs an error");
            }
        }
    }
}
