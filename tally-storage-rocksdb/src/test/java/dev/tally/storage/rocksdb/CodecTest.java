package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodecTest {
    private final Contact contact = new Contact(
            ContactId.random(),
            WorkspaceId.random(),
            Role.USER,
            Optional.of("user-7"),
            Optional.of("u7@example.com"),
            Optional.empty(),
            Instant.ofEpochSecond(1_700_000_000),
            Instant.ofEpochSecond(1_700_000_100));

    @Test
    void theExternalIdIndexHoldsTheWholeContact() {
        byte[] value = Codec.contactIndex(contact);

        assertThat(Codec.indexedContact(value)).contains(contact);
        assertThat(Codec.indexedContactId(value)).isEqualTo(contact.id());
    }

    @Test
    void anIndexValueOfAnOlderStoreGivesTheIdAndNoContact() {
        byte[] older = Codec.contactId(contact.id());

        assertThat(Codec.indexedContact(older)).isEmpty();
        assertThat(Codec.indexedContactId(older)).isEqualTo(contact.id());
    }
}
