package dev.tally.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactRef;
import dev.tally.contact.Role;
import dev.tally.event.EventName;
import dev.tally.event.EventSubmission;
import dev.tally.metadata.Metadata;
import dev.tally.segment.SegmentId;
import dev.tally.server.TestingReceiver;
import dev.tally.server.config.WebhookConfig;
import dev.tally.service.ContactService;
import dev.tally.service.EventService;
import dev.tally.service.SearchService;
import dev.tally.service.SegmentService;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's segment check for what the API cannot produce: a subscription whose segment is
 * gone (deleted in a race with the subscription's creation) notifies nobody, and says why.
 */
class WebhookDispatcherSegmentTest {
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");

    @Test
    void aSubscriptionWhoseSegmentIsGoneSkipsItsNotificationsAsSegmentDeleted() {
        InMemoryTallyStore store = new InMemoryTallyStore();
        Clock clock = Clock.systemUTC();
        ContactService contacts = new ContactService(store, clock);
        EventService events = new EventService(store, contacts, clock);
        try (TestingReceiver receiver = TestingReceiver.accepting();
                WebhookDispatcher dispatcher = new WebhookDispatcher(
                        store,
                        WebhookConfig.DEFAULT.withAllowPrivate(true),
                        new EndpointGuard(true),
                        new SearchService(store, new SegmentService(store, clock), clock),
                        clock)) {
            Subscription subscription = new Subscription(
                    SubscriptionId.random(),
                    WORKSPACE,
                    receiver.url(),
                    List.of(EventName.of("placed-order")),
                    Subscription.newHubSecret(),
                    true,
                    clock.instant(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(SegmentId.random()));
            store.webhooks().insertSubscription(subscription);
            Contact frodo = contacts.create(
                    WORKSPACE, new ContactDraft(Role.USER, Optional.of("frodo"), Optional.empty(), Optional.empty()));
            events.submit(
                    WORKSPACE,
                    new EventSubmission(
                            EventName.of("placed-order"),
                            clock.instant().getEpochSecond(),
                            new ContactRef.ById(frodo.id()),
                            Metadata.EMPTY,
                            List.of()));
            dispatcher.start();

            TestingReceiver.awaitCondition(
                    "the notification skipped",
                    Duration.ofSeconds(20),
                    () ->
                            store
                                    .webhooks()
                                    .listNotifications(WORKSPACE, subscription.id(), Optional.empty(), 10)
                                    .stream()
                                    .anyMatch(n -> n.status() == DeliveryStatus.SKIPPED));
            Notification skipped = store.webhooks()
                    .listNotifications(WORKSPACE, subscription.id(), Optional.empty(), 10)
                    .getFirst();
            assertThat(skipped.lastResponse()).contains("segment_deleted");
            assertThat(skipped.attempts()).isZero();
            assertThat(dispatcher.stats().skipped()).isEqualTo(1);
            assertThat(receiver.received()).isEmpty();
        }
    }
}
