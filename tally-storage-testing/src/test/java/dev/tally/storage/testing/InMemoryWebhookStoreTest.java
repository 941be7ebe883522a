package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import dev.tally.storage.memory.InMemoryTallyStore;

/** The webhook contract on the reference store, which keeps nothing across close. */
class InMemoryWebhookStoreTest extends WebhookStoreContract {
    @Override
    protected TallyStore newStore() {
        return new InMemoryTallyStore();
    }
}
