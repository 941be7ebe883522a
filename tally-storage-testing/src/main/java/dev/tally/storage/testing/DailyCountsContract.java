package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.storage.TallyStore;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily counts behind the dashboard's overview: every store keeps them on ingest, in the same
 * commit as the events and contacts they count. They count what was received: a duplicate is not
 * counted, deleting a contact does not lower them, and a merge takes back what it moved.
 */
public abstract class DailyCountsContract {
    private static final WorkspaceId ACME = new WorkspaceId("acme");
    private static final WorkspaceId GLOBEX = new WorkspaceId("globex");
    private static final LocalDate MAY_1 = LocalDate.parse("2024-05-01");
    private static final LocalDate MAY_2 = MAY_1.plusDays(1);
    private static final long MAY_1_NOON = Instant.parse("2024-05-01T12:00:00Z").getEpochSecond();
    private static final long MAY_1_LAST_SECOND =
            Instant.parse("2024-05-01T23:59:59Z").getEpochSecond();
    private static final long MAY_2_FIRST_SECOND = MAY_1_LAST_SECOND + 1;

    private TallyStore store;

    /** A fresh, empty store. Called once before every test. */
    protected abstract TallyStore newStore();

    /** The same data opened again after {@code closed} was closed; empty for a store that keeps nothing. */
    protected Optional<TallyStore> reopen(TallyStore closed) {
        return Optional.empty();
    }

    @BeforeEach
    final void open() {
        store = newStore();
    }

    @AfterEach
    final void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    public void eventsAreCountedPerUtcDayOfTheirCreatedAtAndPerName() {
        Contact ada = contact(ACME, "ada", Instant.parse("2024-05-01T08:00:00Z"));
        store.append(List.of(
                event(ada, "placed-order", MAY_1_NOON),
                event(ada, "placed-order", MAY_1_LAST_SECOND),
                event(ada, "logged-in", MAY_1_NOON),
                event(ada, "placed-order", MAY_2_FIRST_SECOND)));

        assertThat(store.dailyEventCounts(ACME, MAY_1, MAY_2))
                .containsExactly(
                        count(MAY_1, "logged-in", 1), count(MAY_1, "placed-order", 2), count(MAY_2, "placed-order", 1));
    }

    @Test
    public void duplicatesAreNotCountedWithinABatchOrLater() {
        Contact ada = contact(ACME, "ada", Instant.parse("2024-05-01T08:00:00Z"));
        DataEvent order = event(ada, "placed-order", MAY_1_NOON);
        store.append(List.of(order, event(ada, "placed-order", MAY_1_NOON)));
        List<AppendResult> again = store.append(List.of(event(ada, "placed-order", MAY_1_NOON)));

        assertThat(again).extracting(AppendResult::status).containsExactly(AppendResult.Status.DUPLICATE);
        assertThat(store.dailyEventCounts(ACME, MAY_1, MAY_1)).containsExactly(count(MAY_1, "placed-order", 1));
    }

    @Test
    public void aRangeIsInclusiveAndSeesOnlyItsWorkspace() {
        Contact ada = contact(ACME, "ada", Instant.parse("2024-05-01T08:00:00Z"));
        Contact bob = contact(GLOBEX, "bob", Instant.parse("2024-05-01T08:00:00Z"));
        store.append(List.of(
                event(ada, "placed-order", MAY_1_NOON),
                event(ada, "placed-order", MAY_2_FIRST_SECOND),
                event(ada, "placed-order", MAY_2_FIRST_SECOND + 86_400),
                event(bob, "placed-order", MAY_1_NOON)));

        assertThat(store.dailyEventCounts(ACME, MAY_2, MAY_2)).containsExactly(count(MAY_2, "placed-order", 1));
        assertThat(store.dailyEventCounts(ACME, MAY_1, MAY_1.plusDays(2))).hasSize(3);
        assertThat(store.dailyEventCounts(GLOBEX, MAY_1, MAY_1.plusDays(2)))
                .containsExactly(count(MAY_1, "placed-order", 1));
        assertThat(store.dailyEventCounts(ACME, MAY_2, MAY_1)).isEmpty();
        assertThat(store.dailyEventCounts(new WorkspaceId("nobody"), MAY_1, MAY_2))
                .isEmpty();
    }

    @Test
    public void deletingAContactKeepsTheCountsOfWhatWasReceived() {
        Contact ada = contact(ACME, "ada", Instant.parse("2024-05-01T08:00:00Z"));
        store.append(List.of(event(ada, "placed-order", MAY_1_NOON)));

        assertThat(store.deleteContact(ACME, ada.id())).isTrue();

        assertThat(store.dailyEventCounts(ACME, MAY_1, MAY_1)).containsExactly(count(MAY_1, "placed-order", 1));
        assertThat(store.dailyContactCounts(ACME, MAY_1, MAY_1)).containsExactly(new DailyContactCount(MAY_1, 1));
    }

    @Test
    public void subtractingLowersACountAndNeverBelowZero() {
        Contact ada = contact(ACME, "ada", Instant.parse("2024-05-01T08:00:00Z"));
        store.append(List.of(
                event(ada, "placed-order", MAY_1_NOON),
                event(ada, "placed-order", MAY_1_NOON + 1),
                event(ada, "logged-in", MAY_1_NOON)));

        store.subtractDailyEventCounts(ACME, List.of(count(MAY_1, "placed-order", 1), count(MAY_1, "logged-in", 5)));

        assertThat(store.dailyEventCounts(ACME, MAY_1, MAY_1)).containsExactly(count(MAY_1, "placed-order", 1));
    }

    @Test
    public void contactsAreCountedOnTheUtcDayTheyWereCreatedAndOnlyWhenInserted() {
        contact(ACME, "ada", Instant.parse("2024-05-01T00:00:00Z"));
        contact(ACME, "bob", Instant.parse("2024-05-01T23:59:59Z"));
        contact(ACME, "cy", Instant.parse("2024-05-02T00:00:00Z"));
        contact(GLOBEX, "dee", Instant.parse("2024-05-02T00:00:00Z"));
        Contact taken = new Contact(
                new ContactId("eve"),
                ACME,
                Role.USER,
                Optional.of("ext-ada"),
                Optional.empty(),
                Optional.empty(),
                Instant.parse("2024-05-02T10:00:00Z"),
                Instant.parse("2024-05-02T10:00:00Z"));

        assertThat(store.insertContact(taken)).as("external id already taken").isFalse();
        assertThat(store.dailyContactCounts(ACME, MAY_1, MAY_2))
                .containsExactly(new DailyContactCount(MAY_1, 2), new DailyContactCount(MAY_2, 1));
        assertThat(store.dailyContactCounts(ACME, MAY_2, MAY_2)).containsExactly(new DailyContactCount(MAY_2, 1));
    }

    @Test
    @SuppressWarnings("NullAway") // no store while the closed one is reopened, so releasing it skips
    public void countsAreDurable() {
        Contact ada = contact(ACME, "ada", Instant.parse("2024-05-01T08:00:00Z"));
        store.append(List.of(event(ada, "placed-order", MAY_1_NOON)));
        store.close();
        Optional<TallyStore> reopened = reopen(store);
        store = null;
        assumeTrue(reopened.isPresent(), "this store keeps nothing across close");
        store = reopened.get();

        assertThat(store.dailyEventCounts(ACME, MAY_1, MAY_1)).containsExactly(count(MAY_1, "placed-order", 1));
        assertThat(store.dailyContactCounts(ACME, MAY_1, MAY_1)).containsExactly(new DailyContactCount(MAY_1, 1));
    }

    private Contact contact(WorkspaceId workspaceId, String id, Instant createdAt) {
        Contact contact = new Contact(
                new ContactId(id),
                workspaceId,
                Role.USER,
                Optional.of("ext-" + id),
                Optional.of(id + "@example.com"),
                Optional.empty(),
                createdAt,
                createdAt);
        assertThat(store.insertContact(contact)).isTrue();
        return contact;
    }

    private static DataEvent event(Contact contact, String name, long createdAt) {
        return new DataEvent(
                EventId.random(), contact.workspaceId(), contact.id(), EventName.of(name), createdAt, Metadata.EMPTY);
    }

    private static DailyEventCount count(LocalDate day, String name, long count) {
        return new DailyEventCount(day, EventName.of(name), count);
    }
}
