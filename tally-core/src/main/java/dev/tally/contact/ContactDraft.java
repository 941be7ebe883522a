package dev.tally.contact;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The fields a client sets on a contact; Tally fills id and times. */
public record ContactDraft(Role role, Optional<String> externalId, Optional<String> email, Optional<String> name) {
    public ContactDraft {
        requireNonNull(role, "role is null");
        requireNonNull(externalId, "externalId is null");
        requireNonNull(email, "email is null");
        requireNonNull(name, "name is null");
    }
}
