package dev.tally.search;

import dev.tally.contact.Contact;
import java.util.Optional;

/** A contact's value of each searchable contact field. */
final class ContactFields {
    private ContactFields() {}

    static Optional<Value> value(ContactField field, Contact contact) {
        return switch (field) {
            case ID -> Optional.of(new Value.Text(contact.id().value()));
            case EXTERNAL_ID -> contact.externalId().map(Value.Text::new);
            case EMAIL -> contact.email().map(Value.Text::new);
            case NAME -> contact.name().map(Value.Text::new);
            case ROLE -> Optional.of(new Value.Text(contact.role().wireName()));
            case CREATED_AT -> Optional.of(new Value.Whole(contact.createdAt().getEpochSecond()));
            case UPDATED_AT -> Optional.of(new Value.Whole(contact.updatedAt().getEpochSecond()));
        };
    }
}
