package dev.tally.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactRef;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventName;
import dev.tally.event.EventOutcome;
import dev.tally.event.EventPage;
import dev.tally.event.EventSubmission;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventServiceTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final long NOW_SECONDS = NOW.getEpochSecond();
    private static final long DAY = Duration.ofDays(1).toSeconds();
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");
    private static final EventName PLACED_ORDER = EventName.of("placed-order");
    private static final EventName INVITED = EventName.of("invited-friend");

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ContactService contacts = new ContactService(store, clock);
    private final EventService events = new EventService(store, contacts, clock);
    private final Contact user = contacts.create(
            WORKSPACE,
            new ContactDraft(Role.USER, Optional.of("314159"), Optional.of("x@example.com"), Optional.empty()));

    @Test
    void submittedEventIsStoredAndListed() {
        EventOutcome.Accepted outcome = events.submit(
                WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 60, metadata("invite_code", "ADDAFRIEND")));

        assertThat(outcome.status()).isEqualTo(AppendResult.Status.STORED);
        assertThat(outcome.ignoredKeys()).isEmpty();
        List<DataEvent> listed =
                events.list(WORKSPACE, user, Optional.empty(), 15).events();
        assertThat(listed).hasSize(1);
        DataEvent event = listed.get(0);
        assertThat(event.contactId()).isEqualTo(user.id());
        assertThat(event.name()).isEqualTo(PLACED_ORDER);
        assertThat(event.createdAt()).isEqualTo(NOW_SECONDS - 60);
        assertThat(event.metadata()).isEqualTo(metadata("invite_code", "ADDAFRIEND"));
    }

    @Test
    void eventNamedByEmailOrIdReachesTheSameContact() {
        events.submit(WORKSPACE, submission(new ContactRef.ByEmail("x@example.com"), PLACED_ORDER, 1, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(new ContactRef.ById(user.id()), PLACED_ORDER, 2, Metadata.EMPTY));

        assertThat(events.summarize(WORKSPACE, user)).containsExactly(new EventSummary(PLACED_ORDER, 2, 1, 2));
    }

    @Test
    void duplicateEventIsAcceptedButStoredOnceWithTheFirstMetadata() {
        long createdAt = NOW_SECONDS - 60;
        events.submit(WORKSPACE, submission(PLACED_ORDER, createdAt, metadata("note", "first")));

        EventOutcome.Accepted second =
                events.submit(WORKSPACE, submission(PLACED_ORDER, createdAt, metadata("note", "second")));

        assertThat(second.status()).isEqualTo(AppendResult.Status.DUPLICATE);
        List<DataEvent> listed =
                events.list(WORKSPACE, user, Optional.empty(), 15).events();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).metadata()).isEqualTo(metadata("note", "first"));
        assertThat(events.summarize(WORKSPACE, user)).containsExactly(EventSummary.of(PLACED_ORDER, createdAt));
    }

    @Test
    void sameNameAtAnotherTimeIsAnotherEvent() {
        events.submit(WORKSPACE, submission(PLACED_ORDER, 100, Metadata.EMPTY));

        assertThat(events.submit(WORKSPACE, submission(PLACED_ORDER, 101, Metadata.EMPTY))
                        .status())
                .isEqualTo(AppendResult.Status.STORED);
    }

    @Test
    void ignoredKeysAreThoseOverThePerEventLimitAndThoseTheNameDoesNotTrack() {
        Map<String, MetadataValue> firstTen = new LinkedHashMap<>();
        for (int i = 1; i <= 10; i++) {
            firstTen.put("k" + i, new StringValue("v"));
        }
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 2, new Metadata(firstTen)));

        EventOutcome.Accepted outcome = events.submit(
                WORKSPACE,
                new EventSubmission(
                        PLACED_ORDER,
                        NOW_SECONDS - 1,
                        new ContactRef.ByExternalId("314159"),
                        new Metadata(Map.of("k1", new StringValue("a"), "untracked", new StringValue("b"))),
                        List.of("over_limit")));

        assertThat(outcome.status()).isEqualTo(AppendResult.Status.STORED);
        assertThat(outcome.ignoredKeys()).containsExactlyInAnyOrder("untracked", "over_limit");
        DataEvent stored =
                events.list(WORKSPACE, user, Optional.empty(), 1).events().get(0);
        assertThat(stored.createdAt()).isEqualTo(NOW_SECONDS - 1);
        assertThat(stored.metadata().keys()).containsExactly("k1");
        assertThat(store.trackedKeys(WORKSPACE, PLACED_ORDER)).hasSize(10).doesNotContain("untracked");
    }

    @Test
    void trackedKeysAreCountedPerEventName() {
        Map<String, MetadataValue> tenKeys = new LinkedHashMap<>();
        for (int i = 1; i <= 10; i++) {
            tenKeys.put("k" + i, new StringValue("v"));
        }
        events.submit(WORKSPACE, submission(PLACED_ORDER, 1, new Metadata(tenKeys)));

        EventOutcome.Accepted outcome =
                events.submit(WORKSPACE, submission(INVITED, 1, metadata("invite_code", "ADDAFRIEND")));

        assertThat(outcome.ignoredKeys()).isEmpty();
    }

    @Test
    void unknownContactFailsAloneInABatch() {
        List<EventOutcome> outcomes = events.submitAll(
                WORKSPACE,
                List.of(
                        submission(PLACED_ORDER, 1, Metadata.EMPTY),
                        submission(new ContactRef.ByExternalId("nobody"), PLACED_ORDER, 2, Metadata.EMPTY),
                        submission(INVITED, 3, Metadata.EMPTY)));

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0)).isEqualTo(new EventOutcome.Accepted(AppendResult.Status.STORED, List.of()));
        assertThat(outcomes.get(1))
                .isEqualTo(new EventOutcome.Rejected(
                        List.of(TallyError.of(ErrorCode.NOT_FOUND, "No such user_id[nobody]", "user_id"))));
        assertThat(outcomes.get(2)).isEqualTo(new EventOutcome.Accepted(AppendResult.Status.STORED, List.of()));
        assertThat(events.summarize(WORKSPACE, user))
                .containsExactly(EventSummary.of(INVITED, 3), EventSummary.of(PLACED_ORDER, 1));
    }

    @Test
    void batchRepeatingAnEventStoresItOnce() {
        List<EventOutcome> outcomes = events.submitAll(
                WORKSPACE,
                List.of(
                        submission(PLACED_ORDER, 1, metadata("note", "first")),
                        submission(PLACED_ORDER, 1, metadata("note", "second"))));

        assertThat(outcomes)
                .extracting(outcome -> ((EventOutcome.Accepted) outcome).status())
                .containsExactly(AppendResult.Status.STORED, AppendResult.Status.DUPLICATE);
        assertThat(store.allEvents())
                .singleElement()
                .extracting(DataEvent::metadata)
                .isEqualTo(metadata("note", "first"));
    }

    @Test
    void batchOfOnlyUnknownContactsStoresNothing() {
        List<EventOutcome> outcomes = events.submitAll(
                WORKSPACE,
                List.of(submission(new ContactRef.ByEmail("nobody@example.com"), PLACED_ORDER, 1, Metadata.EMPTY)));

        assertThat(outcomes).singleElement().isInstanceOf(EventOutcome.Rejected.class);
        assertThat(store.allEvents()).isEmpty();
    }

    @Test
    void submittingForAnUnknownContactThrowsNotFound() {
        TallyException thrown = catchThrowableOfType(
                TallyException.class,
                () -> events.submit(
                        WORKSPACE, submission(new ContactRef.ByExternalId("314160"), PLACED_ORDER, 1, Metadata.EMPTY)));

        assertThat(thrown).isNotNull();
        assertThat(thrown.errors())
                .containsExactly(TallyError.of(ErrorCode.NOT_FOUND, "No such user_id[314160]", "user_id"));
    }

    @Test
    void listIsNewestFirstAndPagesFollowTheNextCursor() {
        for (int i = 1; i <= 5; i++) {
            events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - i * 60L, Metadata.EMPTY));
        }

        EventPage first = events.list(WORKSPACE, user, Optional.empty(), 2);
        EventPage second = events.list(WORKSPACE, user, first.next(), 2);
        EventPage third = events.list(WORKSPACE, user, second.next(), 2);

        assertThat(createdAts(first)).containsExactly(NOW_SECONDS - 60, NOW_SECONDS - 120);
        assertThat(createdAts(second)).containsExactly(NOW_SECONDS - 180, NOW_SECONDS - 240);
        assertThat(createdAts(third)).containsExactly(NOW_SECONDS - 300);
        assertThat(first.next()).isPresent();
        assertThat(second.next()).isPresent();
        assertThat(third.next()).isEmpty();
    }

    @Test
    void pageThatEndsExactlyAtTheLastEventHasNoNext() {
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 1, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 2, Metadata.EMPTY));

        EventPage page = events.list(WORKSPACE, user, Optional.empty(), 2);

        assertThat(page.events()).hasSize(2);
        assertThat(page.next()).isEmpty();
    }

    @Test
    void eventsAtTheSameSecondArePagedByNameWithoutRepeats() {
        long createdAt = NOW_SECONDS - 10;
        events.submit(WORKSPACE, submission(EventName.of("c"), createdAt, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(EventName.of("a"), createdAt, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(EventName.of("b"), createdAt, Metadata.EMPTY));

        List<String> seen = new ArrayList<>();
        Optional<EventCursor> cursor = Optional.empty();
        do {
            EventPage page = events.list(WORKSPACE, user, cursor, 1);
            page.events().forEach(event -> seen.add(event.name().value()));
            cursor = page.next();
        } while (cursor.isPresent());

        assertThat(seen).containsExactly("a", "b", "c");
    }

    @Test
    void eventsOlderThanNinetyDaysAreNotListedButStillSummarized() {
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 91 * DAY, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 89 * DAY, Metadata.EMPTY));

        assertThat(createdAts(events.list(WORKSPACE, user, Optional.empty(), 15)))
                .containsExactly(NOW_SECONDS - 89 * DAY);
        assertThat(events.summarize(WORKSPACE, user))
                .containsExactly(new EventSummary(PLACED_ORDER, 2, NOW_SECONDS - 91 * DAY, NOW_SECONDS - 89 * DAY));
    }

    @Test
    void anEventExactlyNinetyDaysOldIsNoLongerListedButOneSecondYoungerIs() {
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 90 * DAY, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(INVITED, NOW_SECONDS - 90 * DAY + 1, Metadata.EMPTY));

        assertThat(createdAts(events.list(WORKSPACE, user, Optional.empty(), 15)))
                .containsExactly(NOW_SECONDS - 90 * DAY + 1);
    }

    @Test
    void listShowsOnlyTheContactsOwnEvents() {
        Contact other = contacts.create(
                WORKSPACE, new ContactDraft(Role.USER, Optional.of("271828"), Optional.empty(), Optional.empty()));
        events.submit(WORKSPACE, submission(PLACED_ORDER, NOW_SECONDS - 1, Metadata.EMPTY));

        assertThat(events.list(WORKSPACE, other, Optional.empty(), 15).events()).isEmpty();
        assertThat(events.summarize(WORKSPACE, other)).isEmpty();
    }

    @Test
    void summaryCountsEachNameWithFirstAndLast() {
        events.submit(WORKSPACE, submission(PLACED_ORDER, 300, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(PLACED_ORDER, 100, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(PLACED_ORDER, 200, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(INVITED, 150, Metadata.EMPTY));

        assertThat(events.summarize(WORKSPACE, user))
                .containsExactly(new EventSummary(INVITED, 1, 150, 150), new EventSummary(PLACED_ORDER, 3, 100, 300));
    }

    @Test
    void baselineIsAddedToTheSummary() {
        events.submit(WORKSPACE, submission(INVITED, 1_671_028_894L, Metadata.EMPTY));
        events.submit(WORKSPACE, submission(INVITED, 1_671_028_900L, Metadata.EMPTY));

        events.putBaselines(WORKSPACE, user, List.of(new EventSummary(INVITED, 5, 1_600_000_000L, 1_671_028_895L)));

        assertThat(events.summarize(WORKSPACE, user))
                .containsExactly(new EventSummary(INVITED, 7, 1_600_000_000L, 1_671_028_900L));
    }

    @Test
    void baselineLaterThanStoredEventsMovesLast() {
        events.submit(WORKSPACE, submission(INVITED, 100, Metadata.EMPTY));

        events.putBaselines(WORKSPACE, user, List.of(new EventSummary(INVITED, 1, 500, 500)));

        assertThat(events.summarize(WORKSPACE, user)).containsExactly(new EventSummary(INVITED, 2, 100, 500));
    }

    @Test
    void baselineForANameWithNoStoredEventsIsReportedAlone() {
        events.putBaselines(WORKSPACE, user, List.of(new EventSummary(INVITED, 1, 1_671_028_894L, 1_671_028_894L)));

        assertThat(events.summarize(WORKSPACE, user))
                .containsExactly(new EventSummary(INVITED, 1, 1_671_028_894L, 1_671_028_894L));
    }

    @Test
    void postingABaselineAgainReplacesIt() {
        events.submit(WORKSPACE, submission(INVITED, 1000, Metadata.EMPTY));
        events.putBaselines(WORKSPACE, user, List.of(new EventSummary(INVITED, 50, 10, 20)));

        events.putBaselines(WORKSPACE, user, List.of(new EventSummary(INVITED, 3, 900, 950)));

        assertThat(events.summarize(WORKSPACE, user)).containsExactly(new EventSummary(INVITED, 4, 900, 1000));
    }

    @Test
    void postingABaselineForOneNameLeavesOtherNamesBaselines() {
        events.putBaselines(
                WORKSPACE,
                user,
                List.of(new EventSummary(INVITED, 1, 10, 10), new EventSummary(PLACED_ORDER, 2, 20, 30)));

        events.putBaselines(WORKSPACE, user, List.of(new EventSummary(INVITED, 9, 40, 40)));

        assertThat(events.summarize(WORKSPACE, user))
                .containsExactly(new EventSummary(INVITED, 9, 40, 40), new EventSummary(PLACED_ORDER, 2, 20, 30));
    }

    private EventSubmission submission(EventName name, long createdAt, Metadata metadata) {
        return submission(new ContactRef.ByExternalId("314159"), name, createdAt, metadata);
    }

    private static EventSubmission submission(ContactRef contact, EventName name, long createdAt, Metadata metadata) {
        return new EventSubmission(name, createdAt, contact, metadata, List.of());
    }

    private static Metadata metadata(String key, String value) {
        return new Metadata(Map.of(key, new StringValue(value)));
    }

    private static List<Long> createdAts(EventPage page) {
        return page.events().stream().map(DataEvent::createdAt).toList();
    }
}
