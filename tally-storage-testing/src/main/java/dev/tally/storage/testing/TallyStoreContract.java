package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link TallyStore} must show, one nested contract per concern (Zipkin's
 * {@code ITStorage} is the model). A backend's test extends this class and supplies a fresh, empty
 * store per test; every nested contract runs against it. A backend may skip a test only with a
 * written reason (as {@link #reopen} does for stores that keep nothing across close). A new concern
 * gets its own contract class, nested here in one line.
 */
public abstract class TallyStoreContract {
    /** A fresh, empty store. Called once before every test. */
    protected abstract TallyStore newStore();

    /** Releases a store after a test; backends that hold files or connections can clean up here. */
    protected void closeStore(TallyStore closing) {
        closing.close();
    }

    /**
     * Opens again the store that was just closed, over the same data. Empty for a backend that keeps
     * nothing across close, which skips the durability test.
     */
    protected Optional<TallyStore> reopen(TallyStore closed) {
        return Optional.empty();
    }

    @Nested
    class WorkspacesAndTokens extends WorkspaceAndTokenStoreContract {
        WorkspacesAndTokens() {
            super(TallyStoreContract.this);
        }
    }

    @Nested
    class Contacts extends ContactStoreContract {
        Contacts() {
            super(TallyStoreContract.this);
        }
    }

    @Nested
    class Events extends EventStoreContract {
        Events() {
            super(TallyStoreContract.this);
        }
    }

    @Nested
    class DocumentsAndLifecycle extends DocumentAndLifecycleStoreContract {
        DocumentsAndLifecycle() {
            super(TallyStoreContract.this);
        }
    }

    @Nested
    class Webhooks extends WebhookStoreContract {
        Webhooks() {
            super(TallyStoreContract.this);
        }
    }

    @Nested
    class DailyCounts extends DailyCountsContract {
        @Override
        protected TallyStore newStore() {
            return TallyStoreContract.this.newStore();
        }

        @Override
        protected Optional<TallyStore> reopen(TallyStore closed) {
            return TallyStoreContract.this.reopen(closed);
        }
    }

    @Nested
    class BrowserSettings extends WorkspaceBrowserSettingsContract {
        @Override
        protected TallyStore newStore() {
            return TallyStoreContract.this.newStore();
        }
    }
}
