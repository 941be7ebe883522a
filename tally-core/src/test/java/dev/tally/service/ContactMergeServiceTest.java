package dev.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.summary.DailyEventCount;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContactMergeServiceTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");
    private static final LocalDate TODAY = LocalDate.parse("2025-03-01");

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final ContactService contacts = new ContactService(store, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ContactMergeService merges = new ContactMergeService(store, contacts);

    @Test
    void aMergeMovesEventsWithoutCountingThemTwiceInTheDailyCounts() {
        Contact lead = contacts.create(
                WORKSPACE, new ContactDraft(Role.LEAD, Optional.empty(), Optional.empty(), Optional.empty()));
        Contact user = contacts.create(
                WORKSPACE, new ContactDraft(Role.USER, Optional.of("42"), Optional.empty(), Optional.empty()));
        long noon = NOW.getEpochSecond();
        store.append(List.of(event(lead, "viewed-pricing", noon), event(lead, "signed-up", noon)));
        // The user already has the same signed-up event: moving the lead's is a duplicate.
        store.append(List.of(event(user, "signed-up", noon)));

        merges.merge(WORKSPACE, lead.id(), user.id());

        assertThat(store.listEvents(WORKSPACE, user.id(), 0, Optional.empty(), 10))
                .hasSize(2);
        assertThat(store.dailyEventCounts(WORKSPACE, TODAY, TODAY))
                .containsExactly(
                        new DailyEventCount(TODAY, EventName.of("signed-up"), 2),
                        new DailyEventCount(TODAY, EventName.of("viewed-pricing"), 1));
    }

    private static DataEvent event(Contact contact, String name, long createdAt) {
        return new DataEvent(EventId.random(), WORKSPACE, contact.id(), EventName.of(name), createdAt, Metadata.EMPTY);
    }
}
