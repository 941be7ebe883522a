package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TallyStore#countContacts}: the {@code total_count} of a contact list, per workspace. */
public abstract class ContactCountContract {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private TallyStore store;

    /** A fresh, empty store. Called once before every test. */
    protected abstract TallyStore newStore();

    @BeforeEach
    protected final void openStore() {
        store = newStore();
    }

    @AfterEach
    protected final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    public void countIsTheWorkspacesOwnContactsAndFollowsInsertsAndDeletes() {
        WorkspaceId acme = workspace("acme");
        WorkspaceId globex = workspace("globex");
        assertThat(store.countContacts(acme)).isZero();

        insert(acme, "c1", Role.USER);
        insert(acme, "c2", Role.LEAD);
        insert(acme, "c3", Role.USER);
        insert(globex, "c1", Role.USER);

        assertThat(store.countContacts(acme)).isEqualTo(3);
        assertThat(store.countContacts(globex)).isEqualTo(1);

        assertThat(store.deleteContact(acme, new ContactId("c2"))).isTrue();

        assertThat(store.countContacts(acme)).isEqualTo(2);
        assertThat(store.countContacts(new WorkspaceId("initech"))).isZero();
    }

    private WorkspaceId workspace(String id) {
        Workspace workspace = new Workspace(new WorkspaceId(id), "Workspace " + id, NOW, OptionalLong.empty());
        store.insertWorkspace(workspace);
        return workspace.id();
    }

    private void insert(WorkspaceId workspace, String id, Role role) {
        Optional<String> externalId = role == Role.USER ? Optional.of("ext-" + id) : Optional.empty();
        assertThat(store.insertContact(new Contact(
                        new ContactId(id), workspace, role, externalId, Optional.empty(), Optional.empty(), NOW, NOW)))
                .isTrue();
    }
}
