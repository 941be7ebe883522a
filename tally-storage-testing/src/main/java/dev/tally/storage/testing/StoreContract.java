package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.auth.AccessToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.storage.TallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the contracts of one concern share: a fresh store per test from the {@link TallyStoreContract}
 * they are nested in, and the fixtures that fill it.
 */
public abstract class StoreContract {
    protected static final Instant NOW = Instant.parse("2024-05-01T12:00:00.123456789Z");

    /** More than any test stores: "list everything". */
    protected static final int ALL = 10_000;

    private final TallyStoreContract suite;
    private TallyStore store;
    private boolean storeClosed;

    protected StoreContract(TallyStoreContract suite) {
        this.suite = suite;
    }

    protected final TallyStore store() {
        return store;
    }

    @BeforeEach
    protected final void openStore() {
        store = suite.newStore();
        storeClosed = false;
    }

    @AfterEach
    protected final void releaseStore() {
        // No store when newStore() skipped the test (a backend that is not available here).
        if (store != null && !storeClosed) {
            suite.closeStore(store);
        }
    }

    /** Closes the store and opens it again over the same data; skips the test for a backend that keeps nothing. */
    protected final void closeAndReopen() {
        suite.closeStore(store);
        storeClosed = true;
        Optional<TallyStore> reopened = suite.reopen(store);
        assumeTrue(
                reopened.isPresent(),
                "this backend keeps nothing across close (reopen() returned empty), so there is no durability to test");
        store = reopened.orElseThrow();
        storeClosed = false;
    }

    protected final Workspace workspace(String id) {
        Workspace workspace = new Workspace(new WorkspaceId(id), "Workspace " + id, NOW, OptionalLong.empty());
        store().insertWorkspace(workspace);
        return workspace;
    }

    protected final AccessToken token(WorkspaceId workspaceId, String secret) {
        AccessToken token = new AccessToken(
                new TokenId("tok_" + secret),
                workspaceId,
                TokenHash.of(secret),
                Set.of(Scope.READ, Scope.WRITE),
                "token " + secret,
                NOW,
                Optional.empty());
        store().insertToken(token);
        return token;
    }

    protected static Contact contact(
            WorkspaceId workspaceId, String id, Optional<String> externalId, Optional<String> email) {
        return new Contact(
                new ContactId(id),
                workspaceId,
                externalId.isPresent() || email.isPresent() ? Role.USER : Role.LEAD,
                externalId,
                email,
                Optional.of("Contact " + id),
                NOW,
                NOW.plusMillis(1));
    }

    protected final Contact user(WorkspaceId workspaceId, String id, String externalId, String email) {
        Contact contact = contact(workspaceId, id, Optional.of(externalId), Optional.of(email));
        assertThat(store().insertContact(contact)).isTrue();
        return contact;
    }

    protected final Contact lead(WorkspaceId workspaceId, String id) {
        Contact contact = contact(workspaceId, id, Optional.empty(), Optional.empty());
        assertThat(store().insertContact(contact)).isTrue();
        return contact;
    }

    protected static DataEvent event(Contact contact, String name, long createdAt) {
        return event(contact, name, createdAt, Metadata.EMPTY);
    }

    protected static DataEvent event(Contact contact, String name, long createdAt, Metadata metadata) {
        return new DataEvent(EventId.random(), contact.workspaceId(), contact.id(), name(name), createdAt, metadata);
    }

    protected static EventName name(String name) {
        return EventName.of(name);
    }

    protected static EventSummary summary(String name, long count, long first, long last) {
        return new EventSummary(name(name), count, first, last);
    }

    /** String metadata from alternating keys and values, in order. */
    protected static Metadata metadata(String... keysAndValues) {
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], new StringValue(keysAndValues[i + 1]));
        }
        return new Metadata(values);
    }

    /** Metadata with the given keys, each valued with its own name. */
    protected static Metadata keys(String... keys) {
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        for (String key : keys) {
            values.put(key, new StringValue(key));
        }
        return new Metadata(values);
    }

    protected static Contact withExternalId(Contact contact, Optional<String> externalId) {
        return new Contact(
                contact.id(),
                contact.workspaceId(),
                contact.role(),
                externalId,
                contact.email(),
                contact.name(),
                contact.createdAt(),
                contact.updatedAt().plusSeconds(1));
    }

    protected static Contact withWorkspace(Contact contact, WorkspaceId workspaceId) {
        return new Contact(
                contact.id(),
                workspaceId,
                contact.role(),
                contact.externalId(),
                contact.email(),
                contact.name(),
                contact.createdAt(),
                contact.updatedAt());
    }
}
