package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.segment.SegmentId;
import dev.tally.storage.WebhookStore;
import dev.tally.storage.WebhookStore.Slots;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.webhook.Topic;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What every store must do for webhooks: the outbox entries of an append, in its commit; claiming
 * with leases; delivery state; deleting and pruning; one workspace never seeing another's. Nested in
 * {@link TallyStoreContract}, so every backend runs it.
 */
public abstract class WebhookStoreContract extends StoreContract {
    private static final Instant CREATED = Instant.parse("2026-11-30T12:00:00Z");

    protected WebhookStoreContract(TallyStoreContract suite) {
        super(suite);
    }

    private WebhookStore webhooks() {
        return store().webhooks();
    }

    @Test
    public void anAppendQueuesOneNotificationPerActiveSubscriptionThatWantsTheEventsName() {
        Contact frodo = contact("acme", "c1");
        Subscription orders = subscribe("acme", "placed-order");
        Subscription both = subscribe("acme", "placed-order", "signed-up");
        Subscription others = subscribe("acme", "signed-up");
        Subscription inactive = webhooks()
                .findSubscription(ws("acme"), subscribe("acme", "placed-order").id())
                .orElseThrow();
        assertThat(webhooks().updateSubscription(inactive.deactivated("410 Gone")))
                .isTrue();

        DataEvent order = event(frodo, "placed-order", 1_700_000_000L, metadata("sku", "ring"));
        store().append(List.of(order));

        assertThat(notificationsOf(orders)).singleElement().satisfies(n -> {
            assertThat(n.topic()).isEqualTo(Topic.EVENT_CREATED);
            assertThat(n.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(n.attempts()).isZero();
            assertThat(n.event()).contains(order);
        });
        assertThat(notificationsOf(both)).hasSize(1);
        assertThat(notificationsOf(others)).isEmpty();
        assertThat(notificationsOf(inactive)).isEmpty();
        assertThat(webhooks().countPending()).isEqualTo(2);
    }

    @Test
    public void aDuplicateEventQueuesNothing() {
        Contact frodo = contact("acme", "c1");
        Subscription orders = subscribe("acme", "placed-order");
        store().append(List.of(event(frodo, "placed-order", 1_700_000_000L, Metadata.EMPTY)));
        store().append(List.of(
                event(frodo, "placed-order", 1_700_000_000L, Metadata.EMPTY),
                event(frodo, "placed-order", 1_700_000_001L, Metadata.EMPTY),
                event(frodo, "placed-order", 1_700_000_001L, Metadata.EMPTY)));

        assertThat(notificationsOf(orders))
                .extracting(n -> n.event().orElseThrow().createdAt())
                .containsExactlyInAnyOrder(1_700_000_000L, 1_700_000_001L);
    }

    @Test
    public void theNotifiedEventCarriesTheMetadataAsKept() {
        Contact frodo = contact("acme", "c1");
        Subscription orders = subscribe("acme", "placed-order");
        Map<String, MetadataValue> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("k" + i, new MetadataValue.StringValue("v" + i));
        }
        store().append(List.of(event(frodo, "placed-order", 1_700_000_000L, new Metadata(eleven))));

        Metadata sent = notificationsOf(orders).getFirst().event().orElseThrow().metadata();
        assertThat(sent.values()).hasSize(10).doesNotContainKey("k10");
    }

    @Test
    public void eventsOfAnotherWorkspaceOrNameQueueNothing() {
        Subscription orders = subscribe("acme", "placed-order");
        store().append(List.of(
                event(contact("globex", "c1"), "placed-order", 1_700_000_000L, Metadata.EMPTY),
                event(contact("acme", "c2"), "refunded", 1_700_000_000L, Metadata.EMPTY)));

        assertThat(notificationsOf(orders)).isEmpty();
        assertThat(webhooks().countPending()).isZero();
    }

    @Test
    public void aWorkspaceSeesOnlyItsOwnSubscriptionsAndNotifications() {
        Subscription acme = subscribe("acme", "placed-order");
        subscribe("globex", "placed-order");
        store().append(List.of(event(contact("acme", "c1"), "placed-order", 1_700_000_000L, Metadata.EMPTY)));
        Notification notification = notificationsOf(acme).getFirst();

        assertThat(webhooks().listSubscriptions(ws("acme"))).containsExactly(acme);
        assertThat(webhooks().findSubscription(ws("globex"), acme.id())).isEmpty();
        assertThat(webhooks().findNotification(ws("globex"), acme.id(), notification.id()))
                .isEmpty();
        assertThat(webhooks().listNotifications(ws("globex"), acme.id(), Optional.empty(), 10))
                .isEmpty();
        assertThat(webhooks().deleteSubscription(ws("globex"), acme.id())).isFalse();
        assertThat(webhooks().allSubscriptions()).hasSize(2);
    }

    @Test
    public void aSubscriptionReadsBackAsWritten() {
        Subscription subscription = subscribe("acme", "placed-order", "signed-up");
        Subscription failing =
                subscription.failingSince(CREATED.plusSeconds(5)).deactivated("the endpoint answered 410 Gone");
        assertThat(webhooks().updateSubscription(failing)).isTrue();

        assertThat(webhooks().findSubscription(ws("acme"), subscription.id())).contains(failing);
        assertThat(webhooks()
                        .updateSubscription(subscribe("acme", "x").reactivated().failingSince(CREATED)))
                .isTrue();
        assertThat(webhooks()
                        .updateSubscription(new Subscription(
                                SubscriptionId.random(),
                                ws("acme"),
                                "https://example.com/",
                                List.of(EventName.of("x")),
                                "secret",
                                true,
                                CREATED,
                                Optional.empty(),
                                Optional.empty())))
                .isFalse();
    }

    @Test
    public void aSubscriptionsSegmentIsStoredAndKeptThroughItsStateChanges() {
        SegmentId segment = SegmentId.random();
        Subscription plain = subscribe("acme", "placed-order");
        Subscription members = subscribe("acme", Optional.of(segment), "placed-order");

        assertThat(webhooks().findSubscription(ws("acme"), members.id()))
                .get()
                .extracting(Subscription::segmentId)
                .isEqualTo(Optional.of(segment));
        assertThat(webhooks().findSubscription(ws("acme"), plain.id()))
                .get()
                .extracting(Subscription::segmentId)
                .isEqualTo(Optional.empty());
        assertThat(webhooks().listSubscriptions(ws("acme"))).containsExactlyInAnyOrder(plain, members);
        assertThat(webhooks().allSubscriptions()).contains(plain, members);

        Subscription deactivated = members.failingSince(CREATED.plusSeconds(1)).deactivated("410");
        assertThat(webhooks().updateSubscription(deactivated)).isTrue();
        assertThat(webhooks().findSubscription(ws("acme"), members.id())).contains(deactivated);
        assertThat(deactivated.segmentId()).contains(segment);
    }

    @Test
    public void aSubscriptionsSegmentSurvivesAReopen() {
        Subscription members = subscribe("acme", Optional.of(SegmentId.random()), "placed-order");
        closeAndReopen();
        assertThat(webhooks().findSubscription(ws("acme"), members.id())).contains(members);
    }

    @Test
    public void aSkippedNotificationIsSettledNeverClaimedAgainAndPruned() {
        Subscription members = subscribe("acme", Optional.of(SegmentId.random()), "placed-order");
        store().append(List.of(event(contact("acme", "c1"), "placed-order", 1, Metadata.EMPTY)));
        Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        List<Slots> slots = List.of(new Slots(ws("acme"), members.id(), 10));
        Notification claimed =
                webhooks().claimDue(slots, now, now.plusSeconds(30)).getFirst();

        Notification skipped = claimed.skipped(now, "not_in_segment");
        webhooks().recordAttempts(List.of(new WebhookStore.Attempted(claimed, skipped)));

        assertThat(webhooks().findNotification(ws("acme"), members.id(), claimed.id()))
                .get()
                .satisfies(n -> {
                    assertThat(n).isEqualTo(skipped);
                    assertThat(n.status()).isEqualTo(DeliveryStatus.SKIPPED);
                    assertThat(n.attempts()).isZero();
                    assertThat(n.lastResponse()).contains("not_in_segment");
                });
        assertThat(webhooks().countPending()).isZero();
        assertThat(webhooks().claimDue(slots, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))))
                .isEmpty();
        assertThat(webhooks().pruneFinished(now.plusSeconds(1), 100)).isEqualTo(1);
        assertThat(notificationsOf(members)).isEmpty();
    }

    @Test
    public void aClaimedNotificationIsNotClaimedAgainUntilItsLeaseEndsOrItIsUpdated() {
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        store().append(List.of(
                event(frodo, "placed-order", 1, Metadata.EMPTY),
                event(frodo, "placed-order", 2, Metadata.EMPTY),
                event(frodo, "placed-order", 3, Metadata.EMPTY)));
        Instant now = Instant.now().plusSeconds(1);
        List<Slots> slots = List.of(new Slots(ws("acme"), orders.id(), 2));

        List<Notification> first = webhooks().claimDue(slots, now, now.plusSeconds(30));
        assertThat(first).hasSize(2);
        List<Notification> second = webhooks().claimDue(slots, now, now.plusSeconds(30));
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
        assertThat(webhooks().claimDue(slots, now, now.plusSeconds(30))).isEmpty();

        // A lease that has ended lets the notification be claimed again.
        assertThat(webhooks().claimDue(slots, now.plusSeconds(31), now.plusSeconds(60)))
                .hasSize(2);

        // An update ends the lease; a retry in the future is not due yet.
        Notification retried = first.getFirst()
                .attempted(now, DeliveryStatus.PENDING, now.plusSeconds(300), OptionalInt.of(500), Optional.of("oops"));
        assertThat(webhooks().updateNotification(retried)).isTrue();
        assertThat(webhooks().claimDue(slots, now.plusSeconds(61), now.plusSeconds(90)))
                .extracting(Notification::id)
                .doesNotContain(retried.id());
        List<Slots> all = List.of(new Slots(ws("acme"), orders.id(), 10));
        assertThat(webhooks().claimDue(all, now.plusSeconds(301), now.plusSeconds(330)))
                .extracting(Notification::id)
                .contains(retried.id());
    }

    @Test
    public void attemptOutcomesAreRecordedInOneWriteAndEndTheirLeases() {
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        store().append(List.of(
                event(frodo, "placed-order", 1, Metadata.EMPTY), event(frodo, "placed-order", 2, Metadata.EMPTY)));
        Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        List<Slots> slots = List.of(new Slots(ws("acme"), orders.id(), 10));
        List<Notification> claimed = webhooks().claimDue(slots, now, now.plusSeconds(30));
        assertThat(claimed).hasSize(2);

        Notification delivered =
                claimed.get(0).attempted(now, DeliveryStatus.DELIVERED, now, OptionalInt.of(200), Optional.of("ok"));
        Notification retried = claimed.get(1)
                .attempted(now, DeliveryStatus.PENDING, now.plusSeconds(5), OptionalInt.of(500), Optional.empty());
        webhooks()
                .recordAttempts(List.of(
                        new WebhookStore.Attempted(claimed.get(0), delivered),
                        new WebhookStore.Attempted(claimed.get(1), retried)));

        assertThat(webhooks().findNotification(ws("acme"), orders.id(), delivered.id()))
                .contains(delivered);
        assertThat(webhooks().findNotification(ws("acme"), orders.id(), retried.id()))
                .contains(retried);
        assertThat(webhooks().countPending()).isEqualTo(1);
        // The retried one is due again at its new time, lease or not; the delivered one never.
        assertThat(webhooks().claimDue(slots, now.plusSeconds(1), now.plusSeconds(31)))
                .isEmpty();
        assertThat(webhooks().claimDue(slots, now.plusSeconds(6), now.plusSeconds(36)))
                .extracting(Notification::id)
                .containsExactly(retried.id());
    }

    @Test
    public void aNotificationDueEarlierThanAnyClaimedBeforeIsStillClaimed() {
        // Stores may remember where the due notifications start (RocksDB does, to skip what was
        // delivered); what becomes due earlier than that must still be found.
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        store().append(List.of(event(frodo, "placed-order", 1, Metadata.EMPTY)));
        Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        List<Slots> slots = List.of(new Slots(ws("acme"), orders.id(), 10));
        Notification first =
                webhooks().claimDue(slots, now, now.plusSeconds(30)).getFirst();
        webhooks()
                .recordAttempts(List.of(new WebhookStore.Attempted(
                        first,
                        first.attempted(
                                now,
                                DeliveryStatus.PENDING,
                                now.plusSeconds(600),
                                OptionalInt.of(500),
                                Optional.empty()))));
        assertThat(webhooks().claimDue(slots, now.plusSeconds(1), now.plusSeconds(31)))
                .isEmpty();

        // Delivered many times over, then a new event: due now, before the retry at +600 s.
        for (int round = 0; round < 50; round++) {
            store().append(List.of(event(frodo, "placed-order", 100 + round, Metadata.EMPTY)));
            Instant at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
            Notification due =
                    webhooks().claimDue(slots, at, at.plusSeconds(30)).getFirst();
            webhooks()
                    .recordAttempts(List.of(new WebhookStore.Attempted(
                            due,
                            due.attempted(at, DeliveryStatus.DELIVERED, at, OptionalInt.of(200), Optional.empty()))));
        }
        store().append(List.of(event(frodo, "placed-order", 999, Metadata.EMPTY)));
        Instant later = Instant.now().plusSeconds(2);
        assertThat(webhooks().claimDue(slots, later, later.plusSeconds(30)))
                .extracting(notification -> notification.event().orElseThrow().createdAt())
                .containsExactly(999L);

        // A resend makes a finished notification due now, earlier than the retry: claimed too.
        Notification finished = notificationsOf(orders).stream()
                .filter(notification -> notification.status() == DeliveryStatus.DELIVERED)
                .findFirst()
                .orElseThrow();
        Instant resentAt = later.plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        webhooks()
                .updateNotification(finished.attempted(
                        resentAt, DeliveryStatus.PENDING, resentAt, finished.lastResponseCode(), Optional.empty()));
        assertThat(webhooks().claimDue(slots, resentAt.plusSeconds(31), resentAt.plusSeconds(60)))
                .extracting(Notification::id)
                .contains(finished.id());
    }

    @Test
    public void anOutcomeRecordedAfterItsSubscriptionWasDeletedLeavesNothing() {
        Subscription orders = subscribe("acme", "placed-order");
        store().append(List.of(event(contact("acme", "c1"), "placed-order", 1, Metadata.EMPTY)));
        Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        Notification claimed = webhooks()
                .claimDue(List.of(new Slots(ws("acme"), orders.id(), 10)), now, now.plusSeconds(30))
                .getFirst();
        assertThat(webhooks().deleteSubscription(ws("acme"), orders.id())).isTrue();

        webhooks()
                .recordAttempts(List.of(new WebhookStore.Attempted(
                        claimed,
                        claimed.attempted(now, DeliveryStatus.PENDING, now, OptionalInt.of(500), Optional.empty()))));

        assertThat(webhooks().findNotification(ws("acme"), orders.id(), claimed.id()))
                .isEmpty();
        assertThat(webhooks().countPending()).isZero();
    }

    @Test
    public void deliveryStateIsKeptAndListedNewestFirst() {
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        for (int i = 0; i < 3; i++) {
            store().append(List.of(event(frodo, "placed-order", i, Metadata.EMPTY)));
        }
        List<Notification> listed = webhooks().listNotifications(ws("acme"), orders.id(), Optional.empty(), 10);
        assertThat(listed).hasSize(3);
        assertThat(listed).extracting(Notification::id).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(webhooks()
                        .listNotifications(
                                ws("acme"),
                                orders.id(),
                                Optional.of(listed.get(0).id()),
                                1))
                .containsExactly(listed.get(1));

        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Notification delivered =
                listed.get(2).attempted(at, DeliveryStatus.DELIVERED, at, OptionalInt.of(204), Optional.of("ok"));
        assertThat(webhooks().updateNotification(delivered)).isTrue();
        assertThat(webhooks().findNotification(ws("acme"), orders.id(), delivered.id()))
                .contains(delivered);
        assertThat(webhooks().countPending()).isEqualTo(2);
        Instant later = at.plusSeconds(60);
        List<Slots> slots = List.of(new Slots(ws("acme"), orders.id(), 10));
        assertThat(webhooks().claimDue(slots, later, later.plusSeconds(30)))
                .extracting(Notification::id)
                .doesNotContain(delivered.id())
                .hasSize(2);
    }

    @Test
    public void aPingIsStoredLikeAnyNotification() {
        Subscription orders = subscribe("acme", "placed-order");
        Notification ping =
                Notification.ping(ws("acme"), orders.id(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        webhooks().insertNotification(ping);

        assertThat(webhooks().findNotification(ws("acme"), orders.id(), ping.id()))
                .contains(ping);
        assertThat(webhooks().updateNotification(ping.abandoned("gave up"))).isTrue();
        assertThat(webhooks()
                        .findNotification(ws("acme"), orders.id(), ping.id())
                        .orElseThrow()
                        .status())
                .isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    public void deletingASubscriptionDeletesItsNotificationsAndStopsNewOnes() {
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        store().append(List.of(event(frodo, "placed-order", 1, Metadata.EMPTY)));
        NotificationId id = notificationsOf(orders).getFirst().id();

        assertThat(webhooks().deleteSubscription(ws("acme"), orders.id())).isTrue();
        store().append(List.of(event(frodo, "placed-order", 2, Metadata.EMPTY)));

        assertThat(webhooks().findSubscription(ws("acme"), orders.id())).isEmpty();
        assertThat(webhooks().findNotification(ws("acme"), orders.id(), id)).isEmpty();
        assertThat(webhooks().countPending()).isZero();
        assertThat(webhooks().deleteSubscription(ws("acme"), orders.id())).isFalse();
    }

    @Test
    public void pruningDeletesOnlyFinishedNotificationsOlderThanTheCutoff() {
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        store().append(List.of(
                event(frodo, "placed-order", 1, Metadata.EMPTY),
                event(frodo, "placed-order", 2, Metadata.EMPTY),
                event(frodo, "placed-order", 3, Metadata.EMPTY)));
        List<Notification> all = notificationsOf(orders);
        Instant old = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.MILLIS);
        Instant recent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        webhooks()
                .updateNotification(all.get(0)
                        .attempted(old, DeliveryStatus.DELIVERED, old, OptionalInt.of(200), Optional.empty()));
        webhooks()
                .updateNotification(all.get(1)
                        .attempted(recent, DeliveryStatus.DELIVERED, recent, OptionalInt.of(200), Optional.empty()));

        assertThat(webhooks().pruneFinished(Instant.now().minus(Duration.ofDays(1)), 100))
                .isEqualTo(1);

        assertThat(notificationsOf(orders))
                .extracting(Notification::id)
                .containsExactlyInAnyOrder(all.get(1).id(), all.get(2).id());
    }

    @Test
    public void queuedNotificationsSurviveAReopen() {
        Subscription orders = subscribe("acme", "placed-order");
        store().append(List.of(event(contact("acme", "c1"), "placed-order", 1, Metadata.EMPTY)));
        Notification queued = notificationsOf(orders).getFirst();
        closeAndReopen();

        assertThat(webhooks().findNotification(ws("acme"), orders.id(), queued.id()))
                .contains(queued);
        // And the reopened store still knows the subscription on its append path.
        store().append(List.of(event(contact("acme", "c2"), "placed-order", 1, Metadata.EMPTY)));
        assertThat(notificationsOf(orders)).hasSize(2);
    }

    /**
     * What nothing has read yet (a store may make notifications after the commit, off the ingest
     * path) is counted, survives a reopen, and is claimed a few at a time, each exactly once, with
     * the event it was owed for; a subscription deleted before anything read its notifications is
     * owed nothing.
     */
    @Test
    public void notificationsNothingReadYetAreCountedSurviveAReopenAndAreEachClaimedOnce() {
        Subscription orders = subscribe("acme", "placed-order");
        Subscription gone = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        List<DataEvent> before = new java.util.ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            before.add(event(frodo, "placed-order", i, Metadata.EMPTY));
        }
        store().append(before.subList(0, 20));
        store().append(before.subList(20, 30));
        assertThat(webhooks().countPending()).isEqualTo(60);
        assertThat(webhooks().deleteSubscription(ws("acme"), gone.id())).isTrue();

        closeAndReopen();
        List<DataEvent> after = new java.util.ArrayList<>();
        for (int i = 31; i <= 40; i++) {
            after.add(event(frodo, "placed-order", i, Metadata.EMPTY));
        }
        store().append(after);

        Instant now = Instant.now().plusSeconds(1);
        List<Slots> slots = List.of(new Slots(ws("acme"), orders.id(), 7), new Slots(ws("acme"), gone.id(), 7));
        List<Notification> claimed = new java.util.ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Notification> some = webhooks().claimDue(slots, now, now.plusSeconds(300));
            assertThat(some.size()).isLessThanOrEqualTo(14);
            claimed.addAll(some);
        }
        assertThat(claimed).allSatisfy(n -> assertThat(n.subscriptionId()).isEqualTo(orders.id()));
        assertThat(claimed).extracting(Notification::id).doesNotHaveDuplicates();
        assertThat(claimed)
                .extracting(n -> n.event().orElseThrow().createdAt())
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(webhooks().countPending()).isEqualTo(40);
        assertThat(notificationsOf(orders)).hasSize(40);
        assertThat(notificationsOf(gone)).isEmpty();
    }

    /**
     * A contact deleted (or merged away) right after its event was stored: the notification owed
     * for the event is still made, with the event as it was stored, and only once.
     */
    @Test
    public void aNotificationOwedForAnEventOfADeletedContactIsStillMade() {
        Subscription orders = subscribe("acme", "placed-order");
        Contact frodo = contact("acme", "c1");
        DataEvent order = event(frodo, "placed-order", 1_700_000_000L, metadata("sku", "ring"));
        store().append(List.of(order));

        assertThat(store().deleteContact(ws("acme"), frodo.id())).isTrue();

        assertThat(notificationsOf(orders)).singleElement().satisfies(n -> assertThat(n.event())
                .contains(order));
        assertThat(webhooks().countPending()).isEqualTo(1);
    }

    // ---- fixtures

    private List<Notification> notificationsOf(Subscription subscription) {
        return webhooks().listNotifications(subscription.workspaceId(), subscription.id(), Optional.empty(), 1000);
    }

    private static WorkspaceId ws(String id) {
        return new WorkspaceId(id);
    }

    private void ensureWorkspace(String id) {
        if (store().findWorkspace(ws(id)).isEmpty()) {
            store().insertWorkspace(new Workspace(ws(id), "Workspace " + id, CREATED, OptionalLong.empty()));
        }
    }

    private Subscription subscribe(String workspace, String... names) {
        return subscribe(workspace, Optional.empty(), names);
    }

    private Subscription subscribe(String workspace, Optional<SegmentId> segment, String... names) {
        ensureWorkspace(workspace);
        Subscription subscription = new Subscription(
                SubscriptionId.random(),
                ws(workspace),
                "https://hooks.example.com/" + workspace,
                java.util.Arrays.stream(names).map(EventName::of).toList(),
                Subscription.newHubSecret(),
                true,
                CREATED,
                Optional.empty(),
                Optional.empty(),
                segment);
        webhooks().insertSubscription(subscription);
        return subscription;
    }

    private Contact contact(String workspace, String id) {
        ensureWorkspace(workspace);
        return user(ws(workspace), id, "ext-" + id, id + "@example.com");
    }
}
