package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import dev.tally.storage.memory.InMemoryTallyStore;

/** The reference store passes its own contract; it keeps nothing across close, so reopen stays empty. */
class InMemoryTallyStoreTest extends TallyStoreContract {
    @Override
    protected TallyStore newStore() {
        return new InMemoryTallyStore();
    }
}
