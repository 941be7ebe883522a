package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bound: a full cache takes nothing new until a minute has passed, then starts over. */
class ContactCacheTest {
    private static final WorkspaceId ACME = new WorkspaceId("acme");

    private long now;
    private final ContactCache cache = new ContactCache(2, () -> now);

    private static Contact user(String externalId) {
        return new Contact(
                ContactId.random(),
                ACME,
                Role.USER,
                Optional.of(externalId),
                Optional.empty(),
                Optional.empty(),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private void offer(String externalId) {
        cache.offer(ACME, externalId, user(externalId), cache.generation());
    }

    @Test
    void aFullCacheKeepsWhatItHasForAMinuteThenStartsOver() {
        offer("u1");
        offer("u2");
        offer("u3");
        assertThat(cache.find(ACME, "u1")).isPresent();
        assertThat(cache.find(ACME, "u2")).isPresent();
        assertThat(cache.find(ACME, "u3")).isEmpty();

        now += TimeUnit.SECONDS.toNanos(61);
        offer("u3");

        assertThat(cache.find(ACME, "u1")).isEmpty();
        assertThat(cache.find(ACME, "u3")).isPresent();
    }

    @Test
    void aReadThatACommitOvertookIsNotKept() {
        long before = cache.generation();
        cache.written(Keys.of(ACME.value(), "u1"));

        cache.offer(ACME, "u1", user("u1"), before);

        assertThat(cache.find(ACME, "u1")).isEmpty();
    }
}
