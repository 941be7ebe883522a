package dev.tally.server;

import dev.tally.error.StoreUnavailableException;
import dev.tally.storage.ForwardingTallyStore;
import dev.tally.storage.TallyStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real store that can be told to fail as a full disk or a lost database would: every call but
 * {@code close} throws, including SPI methods added later, since each goes through {@link #delegate()}.
 */
final class FaultInjectingStore extends ForwardingTallyStore {
    private final TallyStore delegate;
    private final AtomicBoolean broken = new AtomicBoolean();

    FaultInjectingStore(TallyStore delegate) {
        this.delegate = delegate;
    }

    void breakStore() {
        broken.set(true);
    }

    void repair() {
        broken.set(false);
    }

    private void failIfBroken() {
        if (broken.get()) {
            throw new StoreUnavailableException(
                    "injected fault: No space left on device", new IOException("No space left on device"));
        }
    }

    @Override
    protected TallyStore delegate() {
        failIfBroken();
        return delegate;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
