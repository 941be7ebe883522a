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
import dev.tally.service.SubscriptionService;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on what the API cannot produce: a subscription whose segment is gone (deleted in a
 * race with the subscription's creation), a CPU that always reads saturated, and a clock that stands
 * still.
 */
class WebhookDispatcherTest {
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");
    private static final EventName PLACED_ORDER = EventName.of("placed-order");

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final Clock clock = Clock.systemUTC();
    private final ContactService contacts = new ContactService(store, clock);
    private final EventService events = new EventService(store, contacts, clock);
    private final SearchService search = new SearchService(store, new SegmentService(store, clock), clock);
    private final Contact frodo = contacts.create(
            WORKSPACE, new ContactDraft(Role.USER, Optional.of("frodo"), Optional.empty(), Optional.empty()));

    @Test
    void aSubscriptionWhoseSegmentIsGoneSkipsItsNotificationsAsSegmentDeleted() {
        try (TestingReceiver receiver = TestingReceiver.accepting();
                WebhookDispatcher dispatcher = dispatcher(clock)) {
            Subscription subscription = subscribe(receiver, Optional.of(SegmentId.random()));
            placeOrders(1);
            dispatcher.start();

            TestingReceiver.awaitCondition(
                    "the notification skipped", Duration.ofSeconds(20), () -> notifications(subscription).stream()
                            .anyMatch(n -> n.status() == DeliveryStatus.SKIPPED));
            Notification skipped = notifications(subscription).getFirst();
            assertThat(skipped.lastResponse()).contains("segment_deleted");
            assertThat(skipped.attempts()).isZero();
            assertThat(dispatcher.stats().skipped()).isEqualTo(1);
            assertThat(receiver.received()).isEmpty();
        }
    }

    /** Deliveries that yield to ingest are slowed, never starved. */
    @Test
    void yieldingDeliveriesStillSendEveryNotification() {
        int orders = 60;
        // Saturated at every look, with events queueing for their commit: 40 claims a second.
        DeliveryBudget saturated = new DeliveryBudget(40, () -> 64, () -> 1.0, System::nanoTime);
        try (TestingReceiver receiver = TestingReceiver.accepting();
                WebhookDispatcher dispatcher = new WebhookDispatcher(
                        store,
                        WebhookConfig.DEFAULT
                                .withAllowPrivate(true)
                                .withTimeout(Duration.ofSeconds(5))
                                // Enough attempts that an exchange failing on a loaded machine (the
                                // whole suite at once) does not use them up: the test is about yielding.
                                .withRetrySchedule(Collections.nCopies(20, Duration.ofMillis(500))),
                        new EndpointGuard(true),
                        search,
                        saturated,
                        clock)) {
            Subscription subscription = subscribe(receiver, Optional.empty());
            placeOrders(orders);
            dispatcher.start();

            // At least once: an exchange cut short on a loaded machine is sent again (same id).
            TestingReceiver.awaitCondition(
                    () -> "every notification; received " + distinctIds(receiver) + ", stats " + dispatcher.stats()
                            + ", not delivered " + notDelivered(subscription),
                    Duration.ofSeconds(60),
                    () -> distinctIds(receiver) == orders);
            // The receiver counts a request as it arrives; the dispatcher counts it once answered.
            TestingReceiver.awaitCondition(
                    () -> "every delivery counted: " + dispatcher.stats(),
                    Duration.ofSeconds(10),
                    () -> dispatcher.stats().delivered() >= orders);

            assertThat(dispatcher.stats().yielding()).isTrue();
        }
    }

    /**
     * A subscription created through the API while the dispatcher runs is served at once, not at
     * the dispatcher's next periodic look at the subscriptions. The dispatcher's clock stands still
     * (an hour ahead, so the notification is due), so that periodic look never comes again after
     * the first: only being told of the new subscription delivers its notification.
     */
    @Test
    void aSubscriptionCreatedWhileRunningIsServedWithoutWaitingForTheNextLook() {
        Clock standing = Clock.fixed(clock.instant().plus(Duration.ofHours(1)), java.time.ZoneOffset.UTC);
        try (TestingReceiver receiver = TestingReceiver.accepting();
                WebhookDispatcher dispatcher = dispatcher(standing)) {
            dispatcher.start();
            SubscriptionService subscriptions =
                    new SubscriptionService(store, url -> url, dispatcher, new SegmentService(store, clock), clock);
            Subscription subscription = subscriptions.create(WORKSPACE, receiver.url(), List.of(PLACED_ORDER.value()));
            placeOrders(1);

            TestingReceiver.awaitCondition(
                    () -> "the notification; stats " + dispatcher.stats(),
                    Duration.ofSeconds(20),
                    () -> distinctIds(receiver) == 1);
            assertThat(receiver.received().getFirst().notificationId())
                    .isEqualTo(notifications(subscription).getFirst().id().value());
        }
    }

    /** A dispatcher with the default settings (private addresses allowed) on {@code dispatcherClock}. */
    private WebhookDispatcher dispatcher(Clock dispatcherClock) {
        return new WebhookDispatcher(
                store,
                WebhookConfig.DEFAULT.withAllowPrivate(true),
                new EndpointGuard(true),
                search,
                events::waiting,
                dispatcherClock);
    }

    private Subscription subscribe(TestingReceiver receiver, Optional<SegmentId> segment) {
        Subscription subscription = new Subscription(
                SubscriptionId.random(),
                WORKSPACE,
                receiver.url(),
                List.of(PLACED_ORDER),
                Subscription.newHubSecret(),
                true,
                clock.instant(),
                Optional.empty(),
                Optional.empty(),
                segment);
        store.webhooks().insertSubscription(subscription);
        return subscription;
    }

    /**
     * Frodo places {@code count} orders, a second apart. The clock is read once: read per order, a
     * second ticking over mid-loop gave two orders the same time, and the second was dropped as a
     * duplicate (one notification short, and the test waited for it).
     */
    private void placeOrders(int count) {
        long now = clock.instant().getEpochSecond();
        for (int i = 0; i < count; i++) {
            events.submit(
                    WORKSPACE,
                    new EventSubmission(
                            PLACED_ORDER, now - i, new ContactRef.ById(frodo.id()), Metadata.EMPTY, List.of()));
        }
    }

    private List<Notification> notifications(Subscription subscription) {
        return store.webhooks().listNotifications(WORKSPACE, subscription.id(), Optional.empty(), 100);
    }

    /** What the store says of the notifications not delivered: for a failure's message. */
    private List<String> notDelivered(Subscription subscription) {
        return notifications(subscription).stream()
                .filter(n -> n.status() != DeliveryStatus.DELIVERED)
                .map(n -> n.id().value() + " " + n.status() + " attempts=" + n.attempts() + " next=" + n.nextAttemptAt()
                        + " last=" + n.lastResponse().orElse(""))
                .toList();
    }

    private static int distinctIds(TestingReceiver receiver) {
        return new HashSet<>(receiver.received().stream()
                        .map(TestingReceiver.Received::notificationId)
                        .toList())
                .size();
    }
}
