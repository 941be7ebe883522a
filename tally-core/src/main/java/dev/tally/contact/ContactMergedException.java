package dev.tally.contact;

import static java.util.Objects.requireNonNull;

import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;

/** A lead that was merged into a user: answered 410 with a link to the user it became. */
public final class ContactMergedException extends TallyException {
    private static final long serialVersionUID = 1L;

    private final String merged;
    private final String into;

    public ContactMergedException(ContactId merged, ContactId into) {
        super(ErrorCode.CONTACT_MERGED, "Contact " + merged + " was merged into " + into, "id");
        this.merged = requireNonNull(merged, "merged is null").value();
        this.into = requireNonNull(into, "into is null").value();
    }

    public ContactId merged() {
        return new ContactId(merged);
    }

    public ContactId into() {
        return new ContactId(into);
    }
}
