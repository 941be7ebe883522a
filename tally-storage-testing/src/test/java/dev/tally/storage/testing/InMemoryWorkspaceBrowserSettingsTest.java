package dev.tally.storage.testing;

import dev.tally.storage.TallyStore;
import dev.tally.storage.memory.InMemoryTallyStore;

class InMemoryWorkspaceBrowserSettingsTest extends WorkspaceBrowserSettingsContract {
    @Override
    protected TallyStore newStore() {
        return new InMemoryTallyStore();
    }
}
