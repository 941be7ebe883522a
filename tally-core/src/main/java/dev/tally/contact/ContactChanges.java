package dev.tally.contact;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What an update sets: an absent field is left as it is; a present field is replaced, and {@code
 * Optional.of(Optional.empty())} clears it.
 */
public record ContactChanges(
        Optional<Optional<String>> externalId, Optional<Optional<String>> email, Optional<Optional<String>> name) {
    public ContactChanges {
        requireNonNull(externalId, "externalId is null");
        requireNonNull(email, "email is null");
        requireNonNull(name, "name is null");
    }
}
