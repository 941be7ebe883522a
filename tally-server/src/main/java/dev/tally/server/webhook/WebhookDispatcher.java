package dev.tally.server.webhook;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.server.config.WebhookConfig;
import dev.tally.server.http.WireJson;
import dev.tally.service.SearchService;
import dev.tally.service.SubscriptionService;
import dev.tally.storage.TallyStore;
import dev.tally.storage.WebhookStore;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.webhook.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the store's notification outbox. One thread polls: every {@link #POLL} (at once when an
 * attempt ends or a resend asks), it claims due notifications of each active subscription, as many
 * as that endpoint has free slots ({@link WebhookConfig#concurrencyPerEndpoint()}), leased for the
 * timeout plus {@link #LEASE_MARGIN}, and hands each to a virtual thread that sends it and records
 * the outcome. So a slow or dead endpoint holds only its own slots: other endpoints are claimed and
 * sent as usual, and ingest never waits for any of it (it only writes the outbox rows).
 *
 * <p>Outcomes: a 2xx is delivered. Anything else is retried after the next delay of the schedule
 * (with jitter), or the {@code Retry-After} of a 429, 502, 503 or 504, until the schedule is used up
 * and the notification has failed. A 410 fails it at once and deactivates the subscription, as does
 * an endpoint that has failed without a success for {@link WebhookConfig#disableAfter()}. An inactive
 * subscription's pending notifications wait; a successful ping activates it again.
 *
 * <p>A subscription with a segment: when a notification is first due, its event's contact is
 * checked against the segment's query then (one contact's summaries, {@link
 * SearchService#membership}); a contact not in it, or a segment that no longer exists, settles the
 * notification as {@link DeliveryStatus#SKIPPED} without sending it, never retried. A notification
 * that passed and is being retried is not checked again: the receiver's failure does not change
 * what was decided. The check runs here, at delivery, never on the ingest path, and the event is
 * already committed, so it counts.
 *
 * <p>At least once: a notification is marked delivered after its 2xx, so a crash in between sends
 * it again after a restart (or after its lease, on another node), with the same id.
 */
public final class WebhookDispatcher implements SubscriptionService.Delivery, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    // Ingest does not wake the poller (it would cost every append a signal), so the poll interval
    // bounds the time from a 202 to the first attempt: 25 ms of the 1 s target.
    static final Duration POLL = Duration.ofMillis(25);
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final Duration SUBSCRIPTIONS_REFRESH = Duration.ofSeconds(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final int PRUNE_BATCH = 10_000;
    /** How often attempt outcomes are written, and at most how many at once. */
    static final Duration RECORD_EVERY = Duration.ofMillis(20);

    private static final int MAX_RECORDED = 2_000;
    /** How long a shutdown waits for attempts in flight before cutting them short. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);

    /** Counters and gauges for metrics: plain numbers, read at any time. */
    public record Stats(
            long pending,
            int inFlight,
            long delivered,
            long failedAttempts,
            long givenUp,
            long deactivated,
            int activeSubscriptions,
            long skipped,
            boolean yielding) {}

    /** Why a notification was skipped, as its delivery record shows it ({@code last_response}). */
    static final String NOT_IN_SEGMENT = "not_in_segment";

    static final String SEGMENT_DELETED = "segment_deleted";

    private final WebhookStore store;
    private final TallyStore contacts;
    private final SearchService search;
    private final WebhookConfig config;
    private final WebhookSender sender;
    private final DeliveryBudget budget;
    private final Clock clock;
    private final Map<SubscriptionId, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Semaphore wakeUps = new Semaphore(0);
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final Object subscriptionChanges = new Object();
    private final Thread poller;
    private final Thread recorder;
    private final java.util.concurrent.LinkedBlockingQueue<WebhookStore.Attempted> outcomes =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile Map<SubscriptionId, Subscription> subscriptions = Map.of();
    /**
     * A subscription was created or deleted on this node: the poller reads them at its next round.
     * Other nodes (PostgreSQL) see it at their next {@link #SUBSCRIPTIONS_REFRESH}.
     */
    private volatile boolean refreshNow;

    private volatile boolean running;
    /** Claim rounds so far (the poller's own), to rotate which endpoint is offered slots first. */
    private int rounds;

    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private final LongAdder deactivated = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    /**
     * {@code search} answers whether an event's contact is in a subscription's segment; {@code
     * waiting} is how many events wait for their commit now, so that deliveries yield to ingest
     * when the CPU is saturated and events queue ({@link DeliveryBudget}).
     */
    public WebhookDispatcher(
            TallyStore store,
            WebhookConfig config,
            EndpointGuard guard,
            SearchService search,
            LongSupplier waiting,
            Clock clock) {
        this(
                store,
                config,
                guard,
                search,
                new DeliveryBudget(config.saturatedRate(), waiting, DeliveryBudget.systemCpuLoad(), System::nanoTime),
                clock);
    }

    /** With a budget of the caller's (tests: a CPU that is always saturated). */
    WebhookDispatcher(
            TallyStore store,
            WebhookConfig config,
            EndpointGuard guard,
            SearchService search,
            DeliveryBudget budget,
            Clock clock) {
        this.contacts = requireNonNull(store, "store is null");
        this.store = store.webhooks();
        this.search = requireNonNull(search, "search is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sender = new WebhookSender(guard, config.timeout(), config.concurrencyPerEndpoint());
        this.budget = requireNonNull(budget, "budget is null");
        this.poller = Thread.ofPlatform().name("tally-webhooks").daemon(true).unstarted(this::run);
        this.recorder =
                Thread.ofPlatform().name("tally-webhook-outcomes").daemon(true).unstarted(this::recordOutcomes);
    }

    public void start() {
        running = true;
        poller.start();
        recorder.start();
    }

    public Stats stats() {
        int flying = inFlight.values().stream().mapToInt(AtomicInteger::get).sum();
        long pending;
        try {
            pending = store.countPending();
        } catch (RuntimeException e) {
            pending = -1;
        }
        return new Stats(
                pending,
                flying,
                delivered.sum(),
                failedAttempts.sum(),
                givenUp.sum(),
                deactivated.sum(),
                (int) subscriptions.values().stream()
                        .filter(Subscription::active)
                        .count(),
                skipped.sum(),
                budget.yielding());
    }

    @Override
    public void wake() {
        wakeUps.release();
    }

    @Override
    public void subscriptionsChanged() {
        refreshNow = true;
        wakeUps.release();
    }

    // ---- the poller

    private void run() {
        Instant lastRefresh = Instant.MIN;
        Instant lastPrune = clock.instant();
        while (running) {
            try {
                Instant now = clock.instant();
                if (refreshNow
                        || Duration.between(lastRefresh, now).compareTo(SUBSCRIPTIONS_REFRESH) >= 0
                        || lastRefresh == Instant.MIN) {
                    refreshNow = false; // before the read: a change made during it asks again
                    refreshSubscriptions();
                    lastRefresh = now;
                }
                if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
                    prune(now);
                    lastPrune = now;
                }
                int claimed = claimAndSend(now);
                if (claimed == 0) {
                    wakeUps.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The store may be briefly unavailable: try again after a pause, never give up.
                LOG.warn("event=webhook_poll_failed message={}", e.getMessage());
                try {
                    Thread.sleep(POLL.toMillis() * 10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void refreshSubscriptions() {
        Map<SubscriptionId, Subscription> byId = new HashMap<>();
        for (Subscription subscription : store.allSubscriptions()) {
            byId.put(subscription.id(), subscription);
        }
        subscriptions = Map.copyOf(byId);
    }

    /** Deletes what is past retention, a batch at a time, until none is left (at most 100 batches a run). */
    private void prune(Instant now) {
        Instant before = now.minus(config.retention());
        int total = 0;
        for (int batch = 0; batch < 100 && running; batch++) {
            int pruned = store.pruneFinished(before, PRUNE_BATCH);
            total += pruned;
            if (pruned < PRUNE_BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.debug("event=webhook_pruned notifications={}", total);
        }
    }

    /**
     * Claims what the endpoints' free slots and the {@link DeliveryBudget} allow; while the budget
     * is short, the endpoints take turns (a different one first each round).
     */
    private int claimAndSend(Instant now) {
        int allowed = budget.allowance();
        List<Subscription> active =
                subscriptions.values().stream().filter(Subscription::active).toList();
        List<WebhookStore.Slots> slots = new ArrayList<>();
        int start = active.isEmpty() ? 0 : Math.floorMod(rounds++, active.size());
        for (int i = 0; i < active.size() && allowed > 0; i++) {
            Subscription subscription = active.get((start + i) % active.size());
            int free = Math.min(
                    allowed,
                    config.concurrencyPerEndpoint() - flying(subscription.id()).get());
            if (free > 0) {
                slots.add(new WebhookStore.Slots(subscription.workspaceId(), subscription.id(), free));
                allowed -= free;
            }
        }
        if (slots.isEmpty()) {
            return 0;
        }
        List<Notification> due =
                store.claimDue(slots, now, now.plus(config.timeout()).plus(LEASE_MARGIN));
        budget.spent(
                due.size(),
                due.stream()
                        .map(Notification::nextAttemptAt)
                        .min(Instant::compareTo)
                        .map(oldest -> Math.max(0, Duration.between(oldest, now).toNanos()))
                        .orElse(0L));
        for (Notification notification : due) {
            AtomicInteger counter = flying(notification.subscriptionId());
            counter.incrementAndGet();
            attempts.execute(() -> {
                try {
                    attempt(notification);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "event=webhook_attempt_failed notification={} message={}",
                            notification.id(),
                            e.getMessage());
                } finally {
                    counter.decrementAndGet();
                    wakeUps.release();
                }
            });
        }
        return due.size();
    }

    private AtomicInteger flying(SubscriptionId id) {
        return inFlight.computeIfAbsent(id, key -> new AtomicInteger());
    }

    private void attempt(Notification notification) {
        Optional<Subscription> subscription = Optional.ofNullable(subscriptions.get(notification.subscriptionId()))
                .or(() -> store.findSubscription(notification.workspaceId(), notification.subscriptionId()));
        if (subscription.isEmpty()) {
            return; // deleted with its notifications
        }
        Optional<Contact> contact = contactOf(notification);
        Optional<String> skip = skipReason(subscription.get(), notification, contact);
        if (skip.isPresent()) {
            skipped.increment();
            LOG.debug(
                    "event=webhook_skipped notification={} subscription={} reason={}",
                    notification.id(),
                    notification.subscriptionId(),
                    skip.get());
            outcomes.add(new WebhookStore.Attempted(notification, notification.skipped(clock.instant(), skip.get())));
            return;
        }
        deliver(subscription.get(), notification, contact, true);
    }

    /**
     * Why this notification is not to be sent: its contact is not in the subscription's segment now.
     * Asked before the first attempt only (a skipped notification that is resent has none either).
     */
    private Optional<String> skipReason(
            Subscription subscription, Notification notification, Optional<Contact> contact) {
        if (subscription.segmentId().isEmpty() || notification.event().isEmpty() || notification.attempts() > 0) {
            return Optional.empty();
        }
        if (contact.isEmpty()) {
            return Optional.of(NOT_IN_SEGMENT); // a deleted contact is in no segment
        }
        return switch (search.membership(
                subscription.workspaceId(), subscription.segmentId().get(), contact.get())) {
            case MEMBER -> Optional.empty();
            case NOT_MEMBER -> Optional.of(NOT_IN_SEGMENT);
            case NO_SUCH_SEGMENT -> Optional.of(SEGMENT_DELETED);
        };
    }

    private Optional<Contact> contactOf(Notification notification) {
        return notification.event().flatMap(event -> contacts.findContact(event.workspaceId(), event.contactId()));
    }

    // ---- one attempt

    @Override
    public Notification sendNow(Subscription subscription, Notification notification) {
        return deliver(subscription, notification, contactOf(notification), false);
    }

    /** Sends once, records the outcome on the notification and the subscription, returns the notification. */
    private Notification deliver(
            Subscription subscription, Notification notification, Optional<Contact> contact, boolean retry) {
        Instant at = clock.instant();
        int attempt = notification.attempts() + 1;
        byte[] body = WireJson.notificationEvent(
                notification, contact, attempt, notification.firstSentAt().orElse(at));
        WebhookSender.Outcome outcome = sender.send(subscription, notification.id(), body, at);
        LOG.debug(
                "event=webhook_attempt notification={} subscription={} attempt={} status={} ms={} lag_ms={}",
                notification.id(),
                subscription.id(),
                attempt,
                outcome.status().isPresent() ? outcome.status().getAsInt() : "none",
                Duration.between(at, clock.instant()).toMillis(),
                Duration.between(notification.nextAttemptAt(), at).toMillis());
        if (!running && Thread.currentThread().isInterrupted() && retry) {
            // Cut short by a shutdown: left as it was; it is sent again after its lease (or a restart).
            return notification;
        }
        Notification recorded = record(notification, outcome, at, retry);
        if (retry) {
            // Written in batches by the recorder; the notification stays leased until then.
            outcomes.add(new WebhookStore.Attempted(notification, recorded));
        } else {
            store.insertNotification(recorded);
        }
        afterAttempt(subscription, notification, outcome, at);
        return recorded;
    }

    private Notification record(Notification notification, WebhookSender.Outcome outcome, Instant at, boolean retry) {
        if (outcome.succeeded()) {
            delivered.increment();
            return notification.attempted(at, DeliveryStatus.DELIVERED, at, outcome.status(), outcome.response());
        }
        failedAttempts.increment();
        int status = outcome.status().orElse(0);
        int retriesUsed = notification.attempts();
        if (!retry || status == 410 || retriesUsed >= config.retrySchedule().size()) {
            givenUp.increment();
            return notification.attempted(at, DeliveryStatus.FAILED, at, outcome.status(), outcome.response());
        }
        Duration delay = jitter(config.retrySchedule().get(retriesUsed));
        if ((status == 429 || status == 502 || status == 503 || status == 504)
                && outcome.retryAfter().isPresent()) {
            delay = outcome.retryAfter().get();
        }
        return notification.attempted(at, DeliveryStatus.PENDING, at.plus(delay), outcome.status(), outcome.response());
    }

    // ---- the recorder

    /**
     * Writes attempt outcomes in batches ({@link WebhookStore#recordAttempts}): one write for all
     * the outcomes of {@link #RECORD_EVERY}, not a synced commit per attempt, which had made every
     * slot wait for a sync and the events' commits share the writer with them.
     */
    private void recordOutcomes() {
        List<WebhookStore.Attempted> batch = new ArrayList<>();
        while (running || !outcomes.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    WebhookStore.Attempted first = outcomes.poll(RECORD_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    Thread.sleep(RECORD_EVERY.toMillis());
                }
                outcomes.drainTo(batch, MAX_RECORDED - batch.size());
                store.recordAttempts(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The store is unavailable: keep the batch and try again; its leases hold meanwhile.
                LOG.warn("event=webhook_record_failed attempts={} message={}", batch.size(), e.getMessage());
                if (!running) {
                    return; // shutting down: the notifications are sent again after their leases
                }
                try {
                    Thread.sleep(POLL.toMillis() * 10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Up to 20% either way, so endpoints that fail together are not all retried together. */
    private static Duration jitter(Duration delay) {
        double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(delay.toMillis() * factor)));
    }

    /** Tracks the endpoint's health: failing since when, deactivated after 410 or too long, active again on success. */
    private void afterAttempt(Subscription seen, Notification notification, WebhookSender.Outcome outcome, Instant at) {
        boolean ping = notification.topic() == Topic.PING;
        if (outcome.succeeded() && seen.active() && seen.failingSince().isEmpty()) {
            return; // the common case: nothing changes, nothing to read or write
        }
        synchronized (subscriptionChanges) {
            Optional<Subscription> current = store.findSubscription(seen.workspaceId(), seen.id());
            if (current.isEmpty()) {
                return;
            }
            Subscription before = current.get();
            Subscription after = before;
            int status = outcome.status().orElse(0);
            if (outcome.succeeded()) {
                if (!before.active() && ping) {
                    after = before.reactivated();
                } else if (before.active() && before.failingSince().isPresent()) {
                    after = before.reactivated();
                }
            } else if (status == 410 && before.active()) {
                after = before.deactivated("the endpoint answered 410 Gone");
            } else if (before.active() && before.failingSince().isEmpty()) {
                after = before.failingSince(at);
            } else if (before.active()
                    && Duration.between(before.failingSince().get(), at).compareTo(config.disableAfter()) >= 0) {
                after = before.deactivated("the endpoint failed without a success since "
                        + before.failingSince().get() + ", longer than TALLY_WEBHOOK_DISABLE_AFTER");
            }
            if (!after.equals(before) && store.updateSubscription(after)) {
                if (before.active() && !after.active()) {
                    deactivated.increment();
                    LOG.info(
                            "event=webhook_subscription_deactivated subscription={} reason=\"{}\"",
                            after.id(),
                            after.inactiveReason().orElse(""));
                }
                Map<SubscriptionId, Subscription> copy = new HashMap<>(subscriptions);
                copy.put(after.id(), after);
                subscriptions = Map.copyOf(copy);
                if (after.active() && !before.active()) {
                    wake();
                }
            }
        }
    }

    /**
     * Stops claiming, gives attempts in flight {@link #SHUTDOWN_WAIT} to finish, cuts the rest short
     * (they stay pending and are sent again), then closes the client.
     */
    @Override
    public void close() {
        running = false;
        wakeUps.release();
        try {
            poller.join(POLL.toMillis() * 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        attempts.shutdown();
        try {
            if (!attempts.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                attempts.shutdownNow();
            }
            // The recorder writes what is queued, then ends (running is false).
            recorder.join(SHUTDOWN_WAIT.toMillis());
        } catch (InterruptedException e) {
            attempts.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sender.close();
    }
}
