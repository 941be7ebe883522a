package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.event.AppendResult;
import dev.tally.event.AppendResult.Status;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.metadata.MetadataValue.DateValue;
import dev.tally.metadata.MetadataValue.LinkValue;
import dev.tally.metadata.MetadataValue.MoneyValue;
import dev.tally.metadata.MetadataValue.NumberValue;
import dev.tally.metadata.MetadataValue.RichLinkValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.metadata.MetadataValue.StripeValue;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every store does with events: append and duplicates, summaries, tracked keys, listing, baselines, isolation between workspaces, concurrent appends. */
public abstract class EventStoreContract extends StoreContract {
    protected EventStoreContract(TallyStoreContract suite) {
        super(suite);
    }

    // ---- append, duplicates and summaries

    @Test
    public void appendReturnsOneResultPerEventInOrder() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        Contact bob = lead(acme, "c2");

        List<AppendResult> results = store().append(List.of(
                event(ada, "a", 1), event(bob, "a", 1), event(ada, "a", 1), event(ada, "b", 1), event(bob, "a", 1)));

        assertThat(results)
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED, Status.STORED, Status.DUPLICATE, Status.STORED, Status.DUPLICATE);
    }

    @Test
    public void appendOfNothingReturnsNothing() {
        assertThat(store().append(List.of())).isEmpty();
    }

    @Test
    public void duplicateEventIsAcceptedButStoredOnce() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent original = event(ada, "placed-order", 1000, metadata("order", "first"));
        DataEvent again = event(ada, "placed-order", 1000, metadata("order", "second"));

        assertThat(store().append(List.of(original)))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED);
        assertThat(store().append(List.of(again))).containsExactly(AppendResult.duplicate());

        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10)).containsExactly(original);
        assertThat(store().summaries(acme, ada.id())).containsExactly(summary("placed-order", 1, 1000, 1000));
    }

    @Test
    public void duplicateWithinOneAppendKeepsTheFirstMetadata() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent original = event(ada, "placed-order", 1000, metadata("order", "first"));
        DataEvent again = event(ada, "placed-order", 1000, metadata("order", "second", "extra", "x"));

        assertThat(store().append(List.of(original, again)))
                .containsExactly(AppendResult.stored(List.of()), AppendResult.duplicate());

        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10)).containsExactly(original);
        assertThat(store().summaries(acme, ada.id())).containsExactly(summary("placed-order", 1, 1000, 1000));
        assertThat(store().trackedKeys(acme, name("placed-order"))).containsExactly("order");
    }

    @Test
    public void eventsDifferingInContactNameOrTimeAreNotDuplicates() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        Contact bob = lead(acme, "c2");

        List<AppendResult> results = store().append(List.of(
                event(ada, "paid", 1000),
                event(bob, "paid", 1000),
                event(ada, "refunded", 1000),
                event(ada, "paid", 1001)));

        assertThat(results).extracting(AppendResult::status).containsOnly(Status.STORED);
        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10)).hasSize(3);
    }

    @Test
    public void summariesAreExactAfterOutOfOrderInsertsAndDuplicates() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "paid", 500), event(ada, "paid", 300)));
        store().append(List.of(event(ada, "paid", 900), event(ada, "paid", 300), event(ada, "refunded", 700)));
        store().append(List.of(event(ada, "paid", 100), event(ada, "paid", 900)));

        assertThat(store().summaries(acme, ada.id()))
                .containsExactly(summary("paid", 4, 100, 900), summary("refunded", 1, 700, 700));
    }

    @Test
    public void summariesAreByNameAscending() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "zeta", 1), event(ada, "alpha", 2), event(ada, "mid", 3)));

        assertThat(store().summaries(acme, ada.id()))
                .extracting(EventSummary::name)
                .containsExactly(name("alpha"), name("mid"), name("zeta"));
    }

    @Test
    public void contactWithoutEventsHasNoSummariesOrEvents() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");

        assertThat(store().summaries(acme, ada.id())).isEmpty();
        assertThat(store().baselines(acme, ada.id())).isEmpty();
        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10)).isEmpty();
    }

    // ---- tracked keys

    @Test
    public void firstTenDistinctKeysBecomeTrackedAndLaterOnesAreIgnored() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent first = event(ada, "viewed", 1, keys("k01", "k02", "k03", "k04", "k05", "k06"));
        DataEvent second = event(ada, "viewed", 2, keys("k03", "k07", "k08", "k09", "k10", "k11", "k12"));
        DataEvent third = event(ada, "viewed", 3, keys("k12", "k01", "k13", "k10"));

        List<AppendResult> results = store().append(List.of(first, second));
        List<AppendResult> later = store().append(List.of(third));

        assertThat(results).containsExactly(AppendResult.stored(List.of()), AppendResult.stored(List.of("k11", "k12")));
        assertThat(later).containsExactly(AppendResult.stored(List.of("k12", "k13")));
        assertThat(store().trackedKeys(acme, name("viewed")))
                .containsExactly("k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10");
        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10))
                .extracting(event -> event.metadata().keys())
                .containsExactly(
                        List.of("k01", "k10"),
                        List.of("k03", "k07", "k08", "k09", "k10"),
                        List.of("k01", "k02", "k03", "k04", "k05", "k06"));
    }

    @Test
    public void keptMetadataKeepsTheOrderAndValuesAsSent() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "viewed", 1, keys("k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08"))));
        Metadata sent = metadata("z-new", "1", "k02", "2", "y-new", "3", "x-over", "4", "k01", "5");

        List<AppendResult> results = store().append(List.of(event(ada, "viewed", 2, sent)));

        assertThat(results).containsExactly(AppendResult.stored(List.of("x-over")));
        Metadata stored = store().listEvents(acme, ada.id(), 2, Optional.empty(), 1)
                .getFirst()
                .metadata();
        assertThat(stored.keys()).containsExactly("z-new", "k02", "y-new", "k01");
        assertThat(stored).isEqualTo(metadata("z-new", "1", "k02", "2", "y-new", "3", "k01", "5"));
    }

    @Test
    public void duplicateEventDoesNotTrackItsKeys() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "viewed", 1, keys("a"))));

        store().append(List.of(event(ada, "viewed", 1, keys("b", "c"))));

        assertThat(store().trackedKeys(acme, name("viewed"))).containsExactly("a");
    }

    @Test
    public void trackedKeysAreIndependentPerEventNameAndWorkspace() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact ada = lead(acme, "c1");
        Contact bob = lead(globex, "c1");
        List<String> twelve =
                IntStream.rangeClosed(1, 12).mapToObj(i -> "a%02d".formatted(i)).toList();
        store().append(List.of(event(ada, "viewed", 1, keys(twelve.toArray(String[]::new)))));

        List<AppendResult> otherName = store().append(List.of(event(ada, "clicked", 1, keys("b1", "b2"))));
        List<AppendResult> otherWorkspace = store().append(List.of(event(bob, "viewed", 1, keys("c1", "a11"))));

        assertThat(otherName).containsExactly(AppendResult.stored(List.of()));
        assertThat(otherWorkspace).containsExactly(AppendResult.stored(List.of()));
        assertThat(store().trackedKeys(acme, name("viewed"))).containsExactlyElementsOf(twelve.subList(0, 10));
        assertThat(store().trackedKeys(acme, name("clicked"))).containsExactly("b1", "b2");
        assertThat(store().trackedKeys(globex, name("viewed"))).containsExactly("c1", "a11");
        assertThat(store().trackedKeys(globex, name("clicked"))).isEmpty();
    }

    // ---- listing events

    @Test
    public void eventsAreListedNewestFirstThenByName() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(
                event(ada, "b", 200),
                event(ada, "c", 300),
                event(ada, "a", 200),
                event(ada, "z", 100),
                event(ada, "ab", 200)));

        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10))
                .extracting(event -> event.createdAt() + ":" + event.name().value())
                .containsExactly("300:c", "200:a", "200:ab", "200:b", "100:z");
    }

    @Test
    public void minCreatedAtHidesOlderEventsAndKeepsTheBoundary() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "a", 99), event(ada, "a", 100), event(ada, "a", 101)));

        assertThat(store().listEvents(acme, ada.id(), 100, Optional.empty(), 10))
                .extracting(DataEvent::createdAt)
                .containsExactly(101L, 100L);
        assertThat(store().listEvents(acme, ada.id(), 102, Optional.empty(), 10))
                .isEmpty();
        assertThat(store().summaries(acme, ada.id())).containsExactly(summary("a", 3, 99, 101));
    }

    @Test
    public void limitCapsThePage() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "a", 1), event(ada, "a", 2), event(ada, "a", 3)));

        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 2))
                .extracting(DataEvent::createdAt)
                .containsExactly(3L, 2L);
        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 1))
                .extracting(DataEvent::createdAt)
                .containsExactly(3L);
    }

    @Test
    public void cursorContinuesStrictlyAfterItsPositionIncludingWithinTies() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "a", 200), event(ada, "b", 200), event(ada, "c", 200), event(ada, "a", 100)));

        List<DataEvent> afterA =
                store().listEvents(acme, ada.id(), 0, Optional.of(new EventCursor(200, name("a"))), 10);
        List<DataEvent> afterGap =
                store().listEvents(acme, ada.id(), 0, Optional.of(new EventCursor(200, name("bb"))), 10);
        List<DataEvent> afterNewer =
                store().listEvents(acme, ada.id(), 0, Optional.of(new EventCursor(150, name("a"))), 10);

        assertThat(afterA)
                .extracting(event -> event.createdAt() + ":" + event.name().value())
                .containsExactly("200:b", "200:c", "100:a");
        assertThat(afterGap)
                .extracting(event -> event.createdAt() + ":" + event.name().value())
                .containsExactly("200:c", "100:a");
        assertThat(afterNewer)
                .extracting(event -> event.createdAt() + ":" + event.name().value())
                .containsExactly("100:a");
    }

    @Test
    public void cursorPagingIsStableWhileNewEventsArrive() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        List<DataEvent> original = new ArrayList<>();
        for (int t = 100; t < 105; t++) {
            original.add(event(ada, "seen", t));
        }
        store().append(original);

        List<DataEvent> seen = new ArrayList<>();
        List<DataEvent> page = store().listEvents(acme, ada.id(), 0, Optional.empty(), 2);
        int newer = 1000;
        while (!page.isEmpty()) {
            seen.addAll(page);
            store().append(List.of(event(ada, "seen", newer++), event(ada, "aaa-newer", newer++)));
            page = store().listEvents(acme, ada.id(), 0, Optional.of(EventCursor.after(page.getLast())), 2);
        }

        assertThat(seen).containsExactlyElementsOf(original.reversed());
    }

    @Test
    public void metadataOfEveryKindRoundTripsExactly() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        values.put("plan", new StringValue("pro ✓ 😀 \"quoted\""));
        values.put("price", new NumberValue(new BigDecimal("3.670")));
        values.put("balance", new NumberValue(new BigDecimal("-12345678901234567890.5")));
        values.put("seats", new NumberValue(new BigDecimal("42")));
        values.put("paid_at", new DateValue(1_700_000_000L));
        values.put("invoice_url", new LinkValue("https://example.com/invoices/1?x=y&z=%20"));
        values.put("article", new RichLinkValue("https://example.com/a", "An article"));
        values.put("stripe_invoice", new StripeValue("inv_123"));
        values.put("total", new MoneyValue(2999, "usd"));
        values.put("empty", new StringValue(""));
        DataEvent sent = event(ada, "placed-order", 1_700_000_001L, new Metadata(values));

        store().append(List.of(sent));

        DataEvent stored =
                store().listEvents(acme, ada.id(), 0, Optional.empty(), 1).getFirst();
        assertThat(stored).isEqualTo(sent);
        assertThat(stored.metadata().keys()).containsExactlyElementsOf(values.keySet());
    }

    @Test
    public void eventWithoutMetadataRoundTrips() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent sent = event(ada, "opened", 0, Metadata.EMPTY);

        store().append(List.of(sent));

        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 1)).containsExactly(sent);
        assertThat(store().summaries(acme, ada.id())).containsExactly(summary("opened", 1, 0, 0));
    }

    // ---- baselines

    @Test
    public void baselinesAreStoredByNameAndReplacedWhenPostedAgain() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().putBaselines(acme, ada.id(), List.of(summary("zeta", 5, 10, 20), summary("alpha", 2, 1, 2)));

        store().putBaselines(acme, ada.id(), List.of(summary("zeta", 7, 5, 30)));

        assertThat(store().baselines(acme, ada.id()))
                .containsExactly(summary("alpha", 2, 1, 2), summary("zeta", 7, 5, 30));
    }

    @Test
    public void baselinesDoNotChangeStoredSummaries() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store().append(List.of(event(ada, "paid", 100)));

        store().putBaselines(acme, ada.id(), List.of(summary("paid", 9, 1, 1)));

        assertThat(store().summaries(acme, ada.id())).containsExactly(summary("paid", 1, 100, 100));
        assertThat(store().append(List.of(event(ada, "paid", 1))))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED);
    }

    // ---- workspace isolation

    @Test
    public void anotherWorkspacesContactsAndEventsAreInvisible() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact theirs = user(globex, "c1", "ext-1", "ada@example.com");
        store().append(List.of(event(theirs, "paid", 100, keys("amount"))));
        store().putBaselines(globex, theirs.id(), List.of(summary("paid", 3, 1, 2)));

        assertThat(store().findContact(acme, theirs.id())).isEmpty();
        assertThat(store().findContactByExternalId(acme, "ext-1")).isEmpty();
        assertThat(store().findContactsByEmail(acme, "ada@example.com")).isEmpty();
        assertThat(store().listContacts(acme, Optional.empty(), 10)).isEmpty();
        assertThat(store().listEvents(acme, theirs.id(), 0, Optional.empty(), 10))
                .isEmpty();
        assertThat(store().summaries(acme, theirs.id())).isEmpty();
        assertThat(store().baselines(acme, theirs.id())).isEmpty();
        assertThat(store().trackedKeys(acme, name("paid"))).isEmpty();
        assertThat(store().updateContact(withWorkspace(theirs, acme))).isFalse();
        assertThat(store().deleteContact(acme, theirs.id())).isFalse();
        assertThat(store().findContact(globex, theirs.id())).contains(theirs);
        assertThat(store().listEvents(globex, theirs.id(), 0, Optional.empty(), 10))
                .hasSize(1);
    }

    @Test
    public void sameContactIdInTwoWorkspacesNamesTwoContacts() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact ours = user(acme, "c1", "ext-1", "ada@example.com");
        Contact theirs = user(globex, "c1", "ext-1", "ada@example.com");
        store().append(List.of(event(ours, "paid", 100), event(theirs, "paid", 100), event(theirs, "paid", 200)));
        store().putBaselines(globex, theirs.id(), List.of(summary("paid", 3, 1, 2)));

        assertThat(store().summaries(acme, ours.id())).containsExactly(summary("paid", 1, 100, 100));
        assertThat(store().summaries(globex, theirs.id())).containsExactly(summary("paid", 2, 100, 200));
        assertThat(store().findContactsByEmail(acme, "ada@example.com")).containsExactly(ours);

        assertThat(store().deleteContact(globex, theirs.id())).isTrue();

        assertThat(store().findContact(acme, ours.id())).contains(ours);
        assertThat(store().findContactByExternalId(acme, "ext-1")).contains(ours);
        assertThat(store().listEvents(acme, ours.id(), 0, Optional.empty(), 10)).hasSize(1);
        assertThat(store().summaries(acme, ours.id())).containsExactly(summary("paid", 1, 100, 100));
    }

    // ---- concurrency

    @Test
    public void concurrentAppendsWithDuplicatesNeitherLoseNorDoubleEvents() throws Exception {
        WorkspaceId acme = workspace("acme").id();
        List<Contact> contacts = List.of(lead(acme, "c1"), lead(acme, "c2"), lead(acme, "c3"));
        int threads = 8;
        int rounds = 40;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> storedPerThread = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int thread = 0; thread < threads; thread++) {
                int offset = thread;
                storedPerThread.add(executor.submit(() -> {
                    start.await();
                    int stored = 0;
                    for (int i = 0; i < rounds; i++) {
                        int round = (i + offset) % rounds;
                        List<DataEvent> batch = contacts.stream()
                                .map(contact -> event(contact, "e" + (round % 3), 1000 + round))
                                .toList();
                        stored += (int) store().append(batch).stream()
                                .filter(result -> result.status() == Status.STORED)
                                .count();
                    }
                    return stored;
                }));
            }
            start.countDown();
        }

        int stored = 0;
        for (Future<Integer> perThread : storedPerThread) {
            stored += perThread.get();
        }
        assertThat(stored).isEqualTo(contacts.size() * rounds);
        for (Contact contact : contacts) {
            assertThat(store().listEvents(acme, contact.id(), 0, Optional.empty(), ALL))
                    .hasSize(rounds);
            assertThat(store().summaries(acme, contact.id()))
                    .containsExactly(
                            summary("e0", 14, 1000, 1039),
                            summary("e1", 13, 1001, 1037),
                            summary("e2", 13, 1002, 1038));
        }
    }

    @Test
    public void concurrentAppendsNeverTrackMoreThanTenKeys() throws Exception {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AppendResult>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int thread = 0; thread < threads; thread++) {
                String prefix = "t" + thread + "-";
                int createdAt = thread;
                results.add(executor.submit(() -> {
                    start.await();
                    return store().append(List.of(
                                    event(ada, "raced", createdAt, keys(prefix + "a", prefix + "b", prefix + "c"))))
                            .getFirst();
                }));
            }
            start.countDown();
        }

        List<String> tracked = store().trackedKeys(acme, name("raced"));
        assertThat(tracked).hasSize(10).doesNotHaveDuplicates();
        List<String> ignored = new ArrayList<>();
        for (Future<AppendResult> result : results) {
            ignored.addAll(result.get().ignoredKeys());
        }
        assertThat(ignored).hasSize(threads * 3 - 10).doesNotContainAnyElementsOf(tracked);
        for (DataEvent event : store().listEvents(acme, ada.id(), 0, Optional.empty(), ALL)) {
            assertThat(tracked).containsAll(event.metadata().keys());
        }
    }
}
