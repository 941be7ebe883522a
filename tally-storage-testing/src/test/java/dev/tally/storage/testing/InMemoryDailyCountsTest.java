package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import dev.tally.storage.memory.InMemoryTallyStore;

class InMemoryDailyCountsTest extends DailyCountsContract {
    @Override
    protected TallyStore newStore() {
        return new InMemoryTallyStore();
    }
}
