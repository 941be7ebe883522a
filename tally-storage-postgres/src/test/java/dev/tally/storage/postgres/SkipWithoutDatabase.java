package dev.tally.storage.postgres;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a class's jqwik properties when no test database is configured, as {@link
 * TestDatabase#config()} skips its JUnit tests. Needed because jqwik counts the JUnit assumption that
 * skips a test as one rejected try, and fails the property once every try is rejected. Under CI the
 * property runs and {@code config()} fails it, as it fails every other PostgreSQL test there.
 */
public final class SkipWithoutDatabase implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String url = System.getenv(TestDatabase.URL_VARIABLE);
        boolean configured = url != null && !url.isBlank();
        return configured || System.getenv("CI") != null
                ? SkipResult.doNotSkip()
                : SkipResult.skip(TestDatabase.URL_VARIABLE + " is not set: see TestDatabase for how to enable it");
    }
}
