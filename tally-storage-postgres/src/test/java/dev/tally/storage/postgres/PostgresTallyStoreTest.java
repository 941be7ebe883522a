package dev.tally.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.auth.AccessToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.StoreUnavailableException;
import dev.tally.error.TallyException;
import dev.tally.event.AppendResult;
import dev.tally.event.AppendResult.Status;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.json.TallyJson;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataJson;
import dev.tally.metadata.MetadataLimits;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store against a real PostgreSQL (see {@link TestDatabase}). Until the shared
 * storage contract suite lands, these tests cover the SPI's promises directly, and what only
 * this store has: several stores on one database behaving as one, like Tally nodes do.
 */
class PostgresTallyStoreTest {
    private static final WorkspaceId WORKSPACE = new WorkspaceId("acme");
    private static final WorkspaceId OTHER_WORKSPACE = new WorkspaceId("globex");
    private static final Comparator<ContactId> ID_ORDER = Comparator.comparing(ContactId::value);
    private static final Instant NOW = Instant.parse("2025-03-01T12:34:56.123456789Z");

    private TestDatabase.Schema schema;
    private final List<PostgresTallyStore> stores = new ArrayList<>();
    private PostgresTallyStore store;

    @BeforeEach
    void openStore() {
        schema = TestDatabase.freshSchema();
        store = node();
    }

    @AfterEach
    void dropSchema() throws Exception {
        stores.forEach(PostgresTallyStore::close);
        if (schema != null) {
            schema.close();
        }
    }

    /** Another store on the same database: what a second Tally node is. */
    private PostgresTallyStore node() {
        PostgresTallyStore opened = schema.openStore();
        stores.add(opened);
        return opened;
    }

    @Test
    void workspacesAndTokensReadBackExactlyAsStored() {
        Workspace workspace = new Workspace(WORKSPACE, "Acme", NOW, OptionalLong.empty());
        store.insertWorkspace(workspace);
        store.insertWorkspace(new Workspace(OTHER_WORKSPACE, "Globex", NOW, OptionalLong.of(500)));

        assertThat(store.findWorkspace(WORKSPACE)).contains(workspace);
        assertThat(store.listWorkspaces()).extracting(Workspace::id).containsExactly(WORKSPACE, OTHER_WORKSPACE);
        assertThat(store.updateWorkspace(workspace.withRateLimitPerMinute(OptionalLong.of(0))))
                .isTrue();
        assertThat(store.findWorkspace(WORKSPACE).orElseThrow().rateLimitPerMinute())
                .isEqualTo(OptionalLong.of(0));
        assertThat(store.updateWorkspace(new Workspace(new WorkspaceId("nobody"), "x", NOW, OptionalLong.empty())))
                .isFalse();

        AccessToken token = new AccessToken(
                TokenId.random(),
                WORKSPACE,
                TokenHash.of("secret"),
                Set.of(Scope.READ, Scope.WRITE),
                "ci",
                NOW,
                Optional.empty());
        store.insertToken(token);
        assertThat(store.findToken(TokenHash.of("secret"))).contains(token);
        assertThat(store.findToken(TokenHash.of("other"))).isEmpty();

        AccessToken revoked = token.revoked(NOW.plusNanos(1));
        assertThat(store.updateToken(revoked)).isTrue();
        assertThat(store.listTokens(WORKSPACE)).containsExactly(revoked);
        assertThat(store.listTokens(OTHER_WORKSPACE)).isEmpty();
        AccessToken inOtherWorkspace =
                new AccessToken(token.id(), OTHER_WORKSPACE, token.hash(), token.scopes(), "x", NOW, Optional.empty());
        assertThat(store.updateToken(inOtherWorkspace)).isFalse();
    }

    @Test
    void externalIdsAreUniqueWithinAWorkspaceOnly() {
        Contact ada = user(WORKSPACE, "ada", "ada@example.com");
        assertThat(store.insertContact(ada)).isTrue();
        assertThat(store.insertContact(user(WORKSPACE, "ada", "other@example.com")))
                .isFalse();
        assertThat(store.insertContact(user(OTHER_WORKSPACE, "ada", "ada@example.com")))
                .isTrue();

        Contact bob = user(WORKSPACE, "bob", "ada@example.com");
        store.insertContact(bob);
        Contact bobTakingAdasId = withExternalId(bob, "ada");
        assertThat(store.updateContact(bobTakingAdasId)).isFalse();
        assertThat(store.findContact(WORKSPACE, bob.id())).contains(bob);
        assertThat(store.updateContact(withExternalId(bob, "robert"))).isTrue();

        assertThat(store.findContactByExternalId(WORKSPACE, "ada")).contains(ada);
        assertThat(store.findContactByExternalId(WORKSPACE, "bob")).isEmpty();
        assertThat(store.findContactsByEmail(WORKSPACE, "ada@example.com"))
                .extracting(Contact::id)
                .containsExactlyElementsOf(
                        List.of(ada.id(), bob.id()).stream().sorted(ID_ORDER).toList());
        assertThat(store.findContactsByEmail(WORKSPACE, "ADA@example.com")).isEmpty();
    }

    @Test
    void contactsPageInIdOrderWithoutRepeats() {
        List<ContactId> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Contact contact = lead(WORKSPACE);
            store.insertContact(contact);
            ids.add(contact.id());
        }
        store.insertContact(lead(OTHER_WORKSPACE));

        List<ContactId> paged = new ArrayList<>();
        Optional<ContactId> after = Optional.empty();
        while (true) {
            List<Contact> page = store.listContacts(WORKSPACE, after, 3);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(contact -> paged.add(contact.id()));
            after = Optional.of(page.getLast().id());
        }
        assertThat(paged)
                .containsExactlyElementsOf(ids.stream().sorted(ID_ORDER).toList());
    }

    @Test
    void duplicateEventIsAcceptedButStoredOnceAndTheFirstMetadataWins() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        DataEvent first = event(contact, "placed-order", 1_000, "{\"order\":\"first\"}");
        DataEvent again = event(contact, "placed-order", 1_000, "{\"order\":\"second\"}");

        assertThat(store.append(List.of(first, again)))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED, Status.DUPLICATE);
        assertThat(store.append(List.of(again)))
                .extracting(AppendResult::status)
                .containsExactly(Status.DUPLICATE);

        assertThat(store.listEvents(WORKSPACE, contact.id(), 0, Optional.empty(), 10))
                .singleElement()
                .satisfies(stored -> {
                    assertThat(stored.id()).isEqualTo(first.id());
                    assertThat(stored.metadata()).isEqualTo(first.metadata());
                });
        assertThat(store.summaries(WORKSPACE, contact.id()))
                .containsExactly(new EventSummary(EventName.of("placed-order"), 1, 1_000, 1_000));
    }

    @Test
    void summariesCountStoredEventsWithTheirFirstAndLastTimes() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        store.append(List.of(event(contact, "b-event", 300, "{}"), event(contact, "a-event", 100, "{}")));
        store.append(List.of(event(contact, "b-event", 200, "{}"), event(contact, "b-event", 500, "{}")));
        store.append(List.of(event(contact, "b-event", 200, "{}")));

        assertThat(store.summaries(WORKSPACE, contact.id()))
                .containsExactly(
                        new EventSummary(EventName.of("a-event"), 1, 100, 100),
                        new EventSummary(EventName.of("b-event"), 3, 200, 500));
    }

    @Test
    void metadataReadsBackInTheOrderSentWithItsTypes() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        String json = "{\"zeta\":\"text\",\"price\":19.90,\"paid_at\":1700000000,"
                + "\"site\":\"https://example.com/a\",\"doc\":{\"url\":\"https://example.com\",\"value\":\"Docs\"},"
                + "\"stripe_invoice\":\"inv_1\",\"total\":{\"amount\":2999,\"currency\":\"eur\"},\"alpha\":-1}";
        DataEvent sent = event(contact, "checkout", 42, json);
        store.append(List.of(sent));

        Metadata stored = store.listEvents(WORKSPACE, contact.id(), 0, Optional.empty(), 1)
                .getFirst()
                .metadata();
        assertThat(stored).isEqualTo(sent.metadata());
        assertThat(stored.keys())
                .containsExactly("zeta", "price", "paid_at", "site", "doc", "stripe_invoice", "total", "alpha");
        assertThat(MetadataJson.toJson(stored)).isEqualTo(MetadataJson.toJson(sent.metadata()));
    }

    @Test
    void anEventNameTracksItsFirstTenDistinctKeysAndIgnoresTheRest() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        AppendResult first = store.append(List.of(event(contact, "signed-up", 1, keys(0, 6))))
                .getFirst();
        AppendResult second = store.append(List.of(event(contact, "signed-up", 2, keys(4, 12))))
                .getFirst();
        AppendResult otherName = store.append(List.of(event(contact, "logged-in", 3, keys(20, 25))))
                .getFirst();

        assertThat(first.ignoredKeys()).isEmpty();
        assertThat(second.ignoredKeys()).containsExactly("k10", "k11");
        assertThat(otherName.ignoredKeys()).isEmpty();
        assertThat(store.trackedKeys(WORKSPACE, EventName.of("signed-up")))
                .containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
        assertThat(store.trackedKeys(OTHER_WORKSPACE, EventName.of("signed-up")))
                .isEmpty();
        assertThat(store.listEvents(WORKSPACE, contact.id(), 2, Optional.empty(), 10)
                        .getLast()
                        .metadata()
                        .keys())
                .containsExactly("k4", "k5", "k6", "k7", "k8", "k9");
    }

    @Test
    void aDuplicateDoesNotTakeTrackedKeySlots() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        store.append(List.of(event(contact, "viewed", 1, keys(0, 9))));

        List<AppendResult> results = store.append(
                List.of(event(contact, "viewed", 1, keys(50, 51)), event(contact, "viewed", 2, keys(60, 61))));

        assertThat(results).extracting(AppendResult::status).containsExactly(Status.DUPLICATE, Status.STORED);
        assertThat(store.trackedKeys(WORKSPACE, EventName.of("viewed"))).endsWith("k8", "k60");
    }

    @Test
    void eventsListNewestFirstAndPagesNeitherRepeatNorSkip() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        List<DataEvent> events = new ArrayList<>();
        for (int second = 1; second <= 5; second++) {
            for (String name : List.of("b", "a", "c")) {
                events.add(event(contact, name, second * 10L, "{}"));
            }
        }
        Collections.shuffle(events);
        store.append(events);

        List<String> seen = new ArrayList<>();
        Optional<EventCursor> after = Optional.empty();
        while (true) {
            List<DataEvent> page = store.listEvents(WORKSPACE, contact.id(), 20, after, 4);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(event -> seen.add(event.createdAt() + event.name().value()));
            after = Optional.of(EventCursor.after(page.getLast()));
        }
        assertThat(seen)
                .containsExactly("50a", "50b", "50c", "40a", "40b", "40c", "30a", "30b", "30c", "20a", "20b", "20c");
    }

    @Test
    void deletingAContactDeletesItsEventsSummariesAndBaselinesOnly() {
        Contact gone = lead(WORKSPACE);
        Contact kept = lead(WORKSPACE);
        store.insertContact(gone);
        store.insertContact(kept);
        store.append(List.of(event(gone, "x", 1, "{}"), event(kept, "x", 1, "{}")));
        store.putBaselines(WORKSPACE, gone.id(), List.of(new EventSummary(EventName.of("x"), 5, 0, 1)));

        assertThat(store.deleteContact(WORKSPACE, gone.id())).isTrue();
        assertThat(store.deleteContact(WORKSPACE, gone.id())).isFalse();

        assertThat(store.findContact(WORKSPACE, gone.id())).isEmpty();
        assertThat(store.listEvents(WORKSPACE, gone.id(), 0, Optional.empty(), 10))
                .isEmpty();
        assertThat(store.summaries(WORKSPACE, gone.id())).isEmpty();
        assertThat(store.baselines(WORKSPACE, gone.id())).isEmpty();
        assertThat(store.summaries(WORKSPACE, kept.id())).hasSize(1);
    }

    @Test
    void oneWorkspaceNeverSeesAnothersData() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        store.append(List.of(event(contact, "x", 1, "{\"a\":1}")));
        store.putBaselines(WORKSPACE, contact.id(), List.of(new EventSummary(EventName.of("x"), 5, 0, 1)));

        assertThat(store.findContact(OTHER_WORKSPACE, contact.id())).isEmpty();
        assertThat(store.listEvents(OTHER_WORKSPACE, contact.id(), 0, Optional.empty(), 10))
                .isEmpty();
        assertThat(store.summaries(OTHER_WORKSPACE, contact.id())).isEmpty();
        assertThat(store.baselines(OTHER_WORKSPACE, contact.id())).isEmpty();
        assertThat(store.trackedKeys(OTHER_WORKSPACE, EventName.of("x"))).isEmpty();
        assertThat(store.deleteContact(OTHER_WORKSPACE, contact.id())).isFalse();
        assertThat(store.findContact(WORKSPACE, contact.id())).isPresent();
    }

    @Test
    void postingBaselinesReplacesThePreviousOnes() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        store.putBaselines(
                WORKSPACE,
                contact.id(),
                List.of(new EventSummary(EventName.of("b"), 3, 10, 20), new EventSummary(EventName.of("a"), 1, 5, 5)));
        store.putBaselines(WORKSPACE, contact.id(), List.of(new EventSummary(EventName.of("b"), 7, 1, 2)));

        assertThat(store.baselines(WORKSPACE, contact.id()))
                .containsExactly(
                        new EventSummary(EventName.of("a"), 1, 5, 5), new EventSummary(EventName.of("b"), 7, 1, 2));
        assertThat(store.summaries(WORKSPACE, contact.id())).isEmpty();
    }

    @Test
    void documentsAreReplacedAndSeenOnlyInTheirWorkspace() {
        store.putDocument(WORKSPACE, "bulk_job", "job_1", "{\"state\":\"running\"}");
        store.putDocument(WORKSPACE, "bulk_job", "job_1", "{\"state\":\"completed\"}");

        assertThat(node().findDocument(WORKSPACE, "bulk_job", "job_1")).contains("{\"state\":\"completed\"}");
        assertThat(store.findDocument(OTHER_WORKSPACE, "bulk_job", "job_1")).isEmpty();
        assertThat(store.findDocument(WORKSPACE, "merge", "job_1")).isEmpty();
    }

    @Test
    void aValuePostgresCannotStoreFailsItsOwnRequestAsInvalidAndNothingElse() throws Exception {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        DataEvent unstorable = event(contact, "bad\u0000name", 1, "{}");

        // Submitted together, so the committer likely puts them in one batch.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<AppendResult>> bad = threads.submit(() -> store.append(List.of(unstorable)));
            List<Future<List<AppendResult>>> good = IntStream.range(0, 20)
                    .mapToObj(i -> threads.submit(() -> store.append(List.of(event(contact, "good", i, "{}")))))
                    .toList();
            assertThatThrownBy(bad::get).cause().isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.code())
                    .isEqualTo(ErrorCode.PARAMETER_INVALID));
            for (Future<List<AppendResult>> result : good) {
                assertThat(result.get()).extracting(AppendResult::status).containsExactly(Status.STORED);
            }
        }
        assertThat(store.summaries(WORKSPACE, contact.id()))
                .containsExactly(new EventSummary(EventName.of("good"), 20, 0, 19));
    }

    @Test
    void twoNodesAppendingOverlappingEventsAtOnceStoreAndCountEachEventOnce() throws Exception {
        PostgresTallyStore otherNode = node();
        List<Contact> contacts =
                IntStream.range(0, 4).mapToObj(i -> lead(WORKSPACE)).toList();
        contacts.forEach(store::insertContact);
        // Every event is sent by both nodes, in batches cut differently, by many requests at once.
        List<DataEvent> events = new ArrayList<>();
        for (Contact contact : contacts) {
            for (int i = 0; i < 150; i++) {
                events.add(event(contact, "name-" + (i % 3), i / 3, keys(i % 14, i % 14 + 1)));
            }
        }
        ConcurrentLinkedQueue<AppendResult> results = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> requests = new ArrayList<>();
            for (PostgresTallyStore node : List.of(store, otherNode)) {
                List<DataEvent> shuffled = new ArrayList<>(events);
                Collections.shuffle(shuffled);
                int batch = node == store ? 7 : 11;
                for (int from = 0; from < shuffled.size(); from += batch) {
                    List<DataEvent> request = shuffled.subList(from, Math.min(from + batch, shuffled.size()));
                    requests.add(threads.submit(() -> {
                        start.await();
                        results.addAll(node.append(request));
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> request : requests) {
                request.get();
            }
        }

        assertThat(results.stream().filter(r -> r.status() == Status.STORED)).hasSize(events.size());
        for (Contact contact : contacts) {
            List<DataEvent> stored = store.listEvents(WORKSPACE, contact.id(), 0, Optional.empty(), 1_000);
            assertThat(stored).hasSize(150);
            Map<EventName, Long> counted = new LinkedHashMap<>();
            stored.forEach(event -> counted.merge(event.name(), 1L, Long::sum));
            assertThat(otherNode.summaries(WORKSPACE, contact.id()))
                    .allSatisfy(summary -> assertThat(summary.count()).isEqualTo(counted.get(summary.name())))
                    .extracting(EventSummary::name)
                    .containsExactlyElementsOf(
                            counted.keySet().stream().sorted().toList());
        }
        for (int name = 0; name < 3; name++) {
            List<String> tracked = store.trackedKeys(WORKSPACE, EventName.of("name-" + name));
            assertThat(tracked).hasSize(10).doesNotHaveDuplicates();
            for (Contact contact : contacts) {
                for (DataEvent event : store.listEvents(WORKSPACE, contact.id(), 0, Optional.empty(), 1_000)) {
                    if (event.name().equals(EventName.of("name-" + name))) {
                        assertThat(tracked).containsAll(event.metadata().keys());
                    }
                }
            }
        }
    }

    @Test
    void nodesRacingForTheLastTrackedKeySlotsNeverTrackMoreThanTen() throws Exception {
        List<PostgresTallyStore> nodes = List.of(store, node(), node());
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        ConcurrentLinkedQueue<DataEvent> sent = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<AppendResult> results = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                PostgresTallyStore node = nodes.get(i % nodes.size());
                DataEvent event = event(contact, "raced", i, keys(i, i + 2));
                requests.add(threads.submit(() -> {
                    start.await();
                    sent.add(event);
                    results.add(node.append(List.of(event)).getFirst());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> request : requests) {
                request.get();
            }
        }

        List<String> tracked = store.trackedKeys(WORKSPACE, EventName.of("raced"));
        assertThat(tracked).hasSize(10).doesNotHaveDuplicates();
        Set<String> keptSomewhere = new HashSet<>();
        for (DataEvent event : store.listEvents(WORKSPACE, contact.id(), 0, Optional.empty(), 100)) {
            keptSomewhere.addAll(event.metadata().keys());
        }
        // Every tracked key was kept by the event that admitted it, and nothing else was kept.
        assertThat(keptSomewhere).containsExactlyInAnyOrderElementsOf(tracked);
        int ignored = results.stream().mapToInt(r -> r.ignoredKeys().size()).sum();
        int kept = store.listEvents(WORKSPACE, contact.id(), 0, Optional.empty(), 100).stream()
                .mapToInt(e -> e.metadata().size())
                .sum();
        assertThat(kept + ignored).isEqualTo(sent.size() * 2);
    }

    @Test
    void everyAppendThatReturnedIsStoredWhenTheStoreClosesMeanwhile() throws Exception {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        ConcurrentLinkedQueue<DataEvent> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> refused = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int writer = 0; writer < 8; writer++) {
                int offset = writer * 1_000_000;
                threads.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        DataEvent event = event(contact, "tick", offset + i, "{}");
                        try {
                            store.append(List.of(event));
                            acknowledged.add(event);
                        } catch (StoreUnavailableException e) {
                            refused.add(e);
                            return;
                        }
                    }
                });
            }
            Thread.sleep(300);
            store.close();
            stop.set(true);
        }

        assertThat(acknowledged).isNotEmpty();
        assertThat(refused).isNotEmpty();
        PostgresTallyStore reopened = node();
        assertThat(reopened.summaries(WORKSPACE, contact.id()))
                .singleElement()
                .extracting(EventSummary::count)
                .isEqualTo((long) acknowledged.size());
    }

    @Test
    void aClosedStoreRefusesAppendsAsUnavailable() {
        Contact contact = lead(WORKSPACE);
        store.insertContact(contact);
        store.close();

        assertThatThrownBy(() -> store.append(List.of(event(contact, "late", 1, "{}"))))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aHealthyStorePassesItsHealthCheck() {
        store.checkHealth();
    }

    // ---- fixtures

    private static Contact lead(WorkspaceId workspace) {
        return new Contact(
                ContactId.random(),
                workspace,
                Role.LEAD,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                NOW,
                NOW);
    }

    private static Contact user(WorkspaceId workspace, String externalId, String email) {
        return new Contact(
                ContactId.random(),
                workspace,
                Role.USER,
                Optional.of(externalId),
                Optional.of(email),
                Optional.of("Name " + externalId),
                NOW,
                NOW.plusSeconds(1));
    }

    private static Contact withExternalId(Contact contact, String externalId) {
        return new Contact(
                contact.id(),
                contact.workspaceId(),
                contact.role(),
                Optional.of(externalId),
                contact.email(),
                contact.name(),
                contact.createdAt(),
                NOW.plusSeconds(60));
    }

    private static DataEvent event(Contact contact, String name, long createdAt, String metadataJson) {
        return new DataEvent(
                EventId.random(),
                contact.workspaceId(),
                contact.id(),
                EventName.of(name),
                createdAt,
                metadata(metadataJson));
    }

    /** Metadata with keys k{from}..k{to - 1}. */
    private static String keys(int from, int to) {
        StringBuilder json = new StringBuilder("{");
        for (int i = from; i < to; i++) {
            json.append(i == from ? "" : ",")
                    .append("\"k")
                    .append(i)
                    .append("\":")
                    .append(i);
        }
        return json.append('}').toString();
    }

    private static Metadata metadata(String json) {
        try {
            return MetadataJson.parse(TallyJson.mapper().readTree(json), new MetadataLimits(100, 255, 255))
                    .metadata();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
