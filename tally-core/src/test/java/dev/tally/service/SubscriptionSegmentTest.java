package dev.tally.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactRef;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.event.EventSubmission;
import dev.tally.json.TallyJson;
import dev.tally.metadata.Metadata;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.service.SearchService.Membership;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Subscriptions for a segment's contacts: validation, the one-contact membership check, deleting the segment. */
class SubscriptionSegmentTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");
    private static final WorkspaceId OTHER = new WorkspaceId("w2");
    private static final String URL = "https://hooks.example.com/tally";

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ContactService contacts = new ContactService(store, clock);
    private final EventService events = new EventService(store, contacts, clock);
    private final SegmentService segments = new SegmentService(store, clock);
    private final SearchService search = new SearchService(store, segments, clock);
    private final SubscriptionService subscriptions =
            new SubscriptionService(store, url -> url, new NoDelivery(), segments, clock);

    /** Buyers: placed an order in the last 7 days. */
    private final Segment buyers = segments.create(
            WORKSPACE,
            "Recent buyers",
            json("{\"field\":\"events.placed-order.last\",\"operator\":\">\",\"value\":{\"days_ago\":7}}"));

    @Test
    void aSubscriptionKeepsItsSegment() {
        Subscription subscription = subscriptions.create(
                WORKSPACE, URL, List.of("placed-order"), Optional.of(buyers.id().value()));

        assertThat(subscription.segmentId()).contains(buyers.id());
        assertThat(subscriptions.get(WORKSPACE, subscription.id().value()).segmentId())
                .contains(buyers.id());
        assertThat(subscriptions.create(WORKSPACE, URL, List.of("placed-order")).segmentId())
                .isEmpty();
    }

    @Test
    void anUnknownSegmentOrOneOfAnotherWorkspaceIsRefusedNamingSegmentId() {
        Segment theirs =
                segments.create(OTHER, "Theirs", json("{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}"));

        for (String id : List.of("nope", theirs.id().value(), "")) {
            TallyException refused = catchThrowableOfType(
                    TallyException.class,
                    () -> subscriptions.create(WORKSPACE, URL, List.of("placed-order"), Optional.of(id)));
            assertThat(refused.errors().getFirst().code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
            assertThat(refused.errors().getFirst().field()).contains("segment_id");
        }
        assertThat(subscriptions.list(WORKSPACE)).isEmpty();
    }

    @Test
    void membershipIsTheSegmentsQueryOnOneContactNow() {
        Contact buyer = user("buyer");
        Contact idle = user("idle");
        Contact lapsed = user("lapsed");
        order(buyer, NOW.minus(Duration.ofDays(1)));
        order(lapsed, NOW.minus(Duration.ofDays(30)));

        assertThat(search.membership(WORKSPACE, buyers.id(), buyer)).isEqualTo(Membership.MEMBER);
        assertThat(search.membership(WORKSPACE, buyers.id(), idle)).isEqualTo(Membership.NOT_MEMBER);
        assertThat(search.membership(WORKSPACE, buyers.id(), lapsed)).isEqualTo(Membership.NOT_MEMBER);
        assertThat(search.membership(WORKSPACE, SegmentId.random(), buyer)).isEqualTo(Membership.NO_SUCH_SEGMENT);
        assertThat(search.membership(OTHER, buyers.id(), buyer)).isEqualTo(Membership.NO_SUCH_SEGMENT);
        // The same answer as the segments a contact is listed in.
        assertThat(search.segmentsOf(WORKSPACE, buyer)).containsExactly(buyers);
        assertThat(search.segmentsOf(WORKSPACE, lapsed)).isEmpty();
    }

    @Test
    void aSegmentUsedByASubscriptionCannotBeDeletedUntilTheSubscriptionIs() {
        Subscription subscription = subscriptions.create(
                WORKSPACE, URL, List.of("placed-order"), Optional.of(buyers.id().value()));

        TallyException refused =
                catchThrowableOfType(TallyException.class, () -> segments.delete(WORKSPACE, buyers.id()));
        assertThat(refused.errors().getFirst().code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(refused.getMessage()).contains(subscription.id().value());
        assertThat(segments.find(WORKSPACE, buyers.id().value())).isPresent();

        subscriptions.delete(WORKSPACE, subscription.id().value());
        segments.delete(WORKSPACE, buyers.id());
        assertThat(segments.find(WORKSPACE, buyers.id().value())).isEmpty();
    }

    private Contact user(String userId) {
        return contacts.create(
                WORKSPACE,
                new ContactDraft(
                        Role.USER, Optional.of(userId), Optional.of(userId + "@example.com"), Optional.empty()));
    }

    private void order(Contact contact, Instant at) {
        events.submit(
                WORKSPACE,
                new EventSubmission(
                        EventName.of("placed-order"),
                        at.getEpochSecond(),
                        new ContactRef.ById(contact.id()),
                        Metadata.EMPTY,
                        List.of()));
    }

    private static JsonNode json(String text) {
        try {
            return TallyJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final class NoDelivery implements SubscriptionService.Delivery {
        @Override
        public Notification sendNow(Subscription subscription, Notification notification) {
            throw new AssertionError("nothing is sent here");
        }

        @Override
        public void wake() {}

        @Override
        public void subscriptionsChanged() {}
    }
}
