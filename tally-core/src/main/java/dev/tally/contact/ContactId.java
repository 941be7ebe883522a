package dev.tally.contact;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;

/** Tally's id for a contact (Intercom's {@code intercom_user_id}): 24 hex characters when generated. */
public record ContactId(String value) {
    public static final int MAX_LENGTH = 64;

    public ContactId {
        requireNonNull(value, "value is null");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("contact id must be 1-" + MAX_LENGTH + " characters");
        }
    }

    public static ContactId random() {
        return new ContactId(RandomIds.hex(12));
    }

    @Override
    public String toString() {
        return value;
    }
}
