package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import dev.tally.storage.memory.InMemoryTallyStore;

/** The reference store against the catalog, index and search contract. */
class InMemorySegmentStoreTest extends SegmentStoreContract {
    @Override
    protected TallyStore newStore() {
        return new InMemoryTallyStore();
    }
}
