package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import dev.tally.storage.memory.InMemoryTallyStore;

class InMemoryContactCountTest extends ContactCountContract {
    @Override
    protected TallyStore newStore() {
        return new InMemoryTallyStore();
    }
}
