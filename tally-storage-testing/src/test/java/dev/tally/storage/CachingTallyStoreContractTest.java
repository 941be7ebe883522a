package dev.tally.storage;

import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.storage.testing.TallyStoreContract;
import java.time.Duration;

/** The cache is transparent: in front of the reference store it passes the whole contract. */
class CachingTallyStoreContractTest extends TallyStoreContract {
    @Override
    protected TallyStore newStore() {
        return CachingTallyStore.wrap(new InMemoryTallyStore(), Duration.ofSeconds(1));
    }
}
