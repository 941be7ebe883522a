package dev.tally.storage.testing;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.search.ContactField;
import dev.tally.search.EventField;
import dev.tally.search.Operator;
import dev.tally.search.Query;
import dev.tally.search.Value;
import dev.tally.service.ContactMergeService;
import dev.tally.service.ContactService;
import dev.tally.service.SearchService;
import dev.tally.service.SegmentService;
import dev.tally.storage.TallyStore;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event catalog, the per-name event index and contact search, on every store: examples for
 * duplicates, merges, deletion, archiving and isolation, and a property that compares search with
 * a brute-force evaluation of random queries over random contacts and events. A backend's test
 * extends this class and supplies a store; the property uses one store for all its tries, each try
 * in a workspace of its own (so it also checks that workspaces do not see each other).
 */
public abstract class SegmentStoreContract {
    private static final long DAY = 86_400;
    private static final Instant NOW = Instant.ofEpochSecond(10 * DAY);
    private static final List<String> NAMES = List.of("placed-order", "viewed", "signed-up", "churned");
    private static final List<String> TEXTS = List.of(
            "u1", "u2", "a@x.io", "b@x.io", "B@X.IO", "Ann", "ann", "Bob", "user", "lead", "c00", "c07", "x", "a",
            "@x.io", "n", "");

    private @Nullable TallyStore store;

    /** A fresh, empty store. */
    protected abstract TallyStore newStore();

    /** Releases a store after a test or a property. */
    protected void closeStore(TallyStore closing) {
        closing.close();
    }

    protected final TallyStore store() {
        TallyStore current = store;
        if (current == null) {
            current = newStore();
            store = current;
        }
        return current;
    }

    @AfterEach
    @AfterProperty
    void releaseStore() {
        TallyStore open = store;
        if (open != null) {
            closeStore(open);
            store = null;
        }
    }

    // ---- examples

    @Test
    void catalogCountsStoredEventsDistinctContactsAndKeyTypesButNotDuplicates() {
        WorkspaceId acme = workspace();
        Contact ann = contact(acme, "c1");
        Contact bob = contact(acme, "c2");
        List<AppendResult> results = store().append(List.of(
                event(acme, ann, "placed-order", 100, Map.of("price", new MetadataValue.MoneyValue(100, "usd"))),
                event(acme, ann, "placed-order", 200, Map.of("price", new MetadataValue.NumberValue(BigDecimal.TEN))),
                event(acme, ann, "placed-order", 100, Map.of()),
                event(acme, bob, "placed-order", 50, Map.of("url", new MetadataValue.LinkValue("https://x.io")))));
        store().append(List.of(event(acme, bob, "placed-order", 50, Map.of())));

        assertThat(results)
                .extracting(AppendResult::status)
                .containsExactly(
                        AppendResult.Status.STORED,
                        AppendResult.Status.STORED,
                        AppendResult.Status.DUPLICATE,
                        AppendResult.Status.STORED);
        CatalogEntry entry = onlyEntry(acme);
        assertThat(entry.name()).isEqualTo(new EventName("placed-order"));
        assertThat(entry.count()).isEqualTo(3);
        assertThat(entry.contacts()).isEqualTo(2);
        assertThat(entry.firstSeen()).isEqualTo(50);
        assertThat(entry.lastSeen()).isEqualTo(200);
        assertThat(entry.keys())
                .containsExactly(
                        Map.entry("price", Set.of(KeyType.NUMBER, KeyType.MONEY)),
                        Map.entry("url", Set.of(KeyType.LINK)));
        assertThat(entry.archived()).isFalse();
    }

    @Test
    void eventIndexListsContactsWithTheirSummaryInIdOrderFromAnId() {
        WorkspaceId acme = workspace();
        List<Contact> contacts = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            contacts.add(contact(acme, "c" + i));
        }
        for (Contact contact : contacts) {
            store().append(List.of(
                    event(acme, contact, "viewed", 10, Map.of()), event(acme, contact, "viewed", 20, Map.of())));
        }
        store().append(List.of(event(acme, contacts.get(0), "viewed", 5, Map.of())));

        List<ContactSummary> all = store().eventIndex(acme, new EventName("viewed"), Optional.empty(), 100);
        assertThat(all).extracting(entry -> entry.contactId().value()).containsExactly("c1", "c2", "c3", "c4", "c5");
        assertThat(all.get(4).summary()).isEqualTo(new EventSummary(new EventName("viewed"), 3, 5, 20));
        assertThat(store().eventIndex(acme, new EventName("viewed"), Optional.of(new ContactId("c3")), 2))
                .extracting(entry -> entry.contactId().value())
                .containsExactly("c3", "c4");
        assertThat(store().eventIndex(acme, new EventName("other"), Optional.empty(), 100))
                .isEmpty();
    }

    @Test
    void eventIndexReadAgainSeesEveryWriteSinceTheLastRead() {
        WorkspaceId acme = workspace();
        EventName viewed = new EventName("viewed");
        Contact ann = contact(acme, "c1");
        Contact bob = contact(acme, "c2");
        store().append(List.of(event(acme, ann, "viewed", 10, Map.of())));
        assertThat(store().eventIndex(acme, viewed, Optional.empty(), 10))
                .containsExactly(new ContactSummary(ann.id(), new EventSummary(viewed, 1, 10, 10)));

        store().append(List.of(event(acme, ann, "viewed", 20, Map.of()), event(acme, bob, "viewed", 5, Map.of())));
        assertThat(store().eventIndex(acme, viewed, Optional.empty(), 10))
                .containsExactly(
                        new ContactSummary(ann.id(), new EventSummary(viewed, 2, 10, 20)),
                        new ContactSummary(bob.id(), new EventSummary(viewed, 1, 5, 5)));
        // Another name's write leaves this index as it was.
        store().append(List.of(event(acme, bob, "churned", 30, Map.of())));
        assertThat(store().eventIndex(acme, viewed, Optional.of(bob.id()), 10))
                .containsExactly(new ContactSummary(bob.id(), new EventSummary(viewed, 1, 5, 5)));

        assertThat(store().deleteContact(acme, ann.id())).isTrue();
        assertThat(store().eventIndex(acme, viewed, Optional.empty(), 10))
                .containsExactly(new ContactSummary(bob.id(), new EventSummary(viewed, 1, 5, 5)));
    }

    @Test
    void deletingAContactTakesItsEventsOutOfTheCatalogAndTheIndex() {
        WorkspaceId acme = workspace();
        Contact ann = contact(acme, "c1");
        Contact bob = contact(acme, "c2");
        store().append(List.of(
                event(acme, ann, "viewed", 1, Map.of()),
                event(acme, ann, "viewed", 2, Map.of()),
                event(acme, bob, "viewed", 3, Map.of()),
                event(acme, ann, "churned", 4, Map.of())));

        assertThat(store().deleteContact(acme, ann.id())).isTrue();

        Map<String, CatalogEntry> catalog = catalogByName(acme);
        assertThat(requireNonNull(catalog.get("viewed")).count()).isEqualTo(1);
        assertThat(requireNonNull(catalog.get("viewed")).contacts()).isEqualTo(1);
        assertThat(requireNonNull(catalog.get("churned")).count()).isZero();
        assertThat(requireNonNull(catalog.get("churned")).contacts()).isZero();
        assertThat(store().eventIndex(acme, new EventName("viewed"), Optional.empty(), 10))
                .extracting(entry -> entry.contactId().value())
                .containsExactly("c2");
        assertThat(store().eventIndex(acme, new EventName("churned"), Optional.empty(), 10))
                .isEmpty();
    }

    @Test
    void mergingALeadKeepsCountsDistinctContactsAndSearchExact() {
        WorkspaceId acme = workspace();
        ContactService contacts = new ContactService(store(), Clock.fixed(NOW, ZoneOffset.UTC));
        Contact lead = contactRecord(acme, "lead1", Role.LEAD);
        assertThat(store().insertContact(lead)).isTrue();
        Contact user = contact(acme, "user1");
        store().append(List.of(
                event(acme, lead, "placed-order", 1, Map.of()),
                event(acme, lead, "placed-order", 2, Map.of()),
                event(acme, user, "placed-order", 2, Map.of())));
        assertThat(onlyEntry(acme).contacts()).isEqualTo(2);

        new ContactMergeService(store(), contacts).merge(acme, lead.id(), user.id());

        CatalogEntry entry = onlyEntry(acme);
        assertThat(entry.count()).isEqualTo(2);
        assertThat(entry.contacts()).isEqualTo(1);
        SearchService search = search();
        Query twice = condition(
                new EventField(new EventName("placed-order"), EventField.Aspect.COUNT),
                Operator.EQ,
                new Value.Whole(2));
        assertThat(search.search(acme, twice, Optional.empty(), 10).contacts())
                .extracting(Contact::id)
                .containsExactly(user.id());
        assertThat(search.count(acme, twice)).isEqualTo(1);
    }

    @Test
    void archivingFlagsANameAndKeepsItsDataAndNewEventsUnderItAreStoredAndCounted() {
        WorkspaceId acme = workspace();
        Contact ann = contact(acme, "c1");
        store().append(List.of(event(acme, ann, "churned", 1, Map.of())));

        assertThat(store().setArchived(acme, new EventName("never-seen"), true)).isFalse();
        assertThat(store().setArchived(acme, new EventName("churned"), true)).isTrue();
        assertThat(onlyEntry(acme).archived()).isTrue();

        store().append(List.of(event(acme, ann, "churned", 2, Map.of())));
        CatalogEntry entry = onlyEntry(acme);
        assertThat(entry.archived()).isTrue();
        assertThat(entry.count()).isEqualTo(2);
        assertThat(store().summaries(acme, ann.id()))
                .extracting(EventSummary::count)
                .containsExactly(2L);

        assertThat(store().setArchived(acme, new EventName("churned"), false)).isTrue();
        assertThat(onlyEntry(acme).archived()).isFalse();
    }

    @Test
    void catalogIndexAndDocumentsOfOneWorkspaceAreInvisibleToAnother() {
        WorkspaceId acme = workspace();
        WorkspaceId globex = workspace();
        Contact ann = contact(acme, "c1");
        contact(globex, "c1");
        store().append(List.of(event(acme, ann, "viewed", 1, Map.of())));
        store().putDocument(acme, "segment", "s1", "{}");

        assertThat(store().catalog(globex)).isEmpty();
        assertThat(store().setArchived(globex, new EventName("viewed"), true)).isFalse();
        assertThat(onlyEntry(acme).archived()).isFalse();
        assertThat(store().eventIndex(globex, new EventName("viewed"), Optional.empty(), 10))
                .isEmpty();
        assertThat(store().listDocuments(globex, "segment")).isEmpty();
        assertThat(store().deleteDocument(globex, "segment", "s1")).isFalse();
        assertThat(store().listDocuments(acme, "segment")).containsExactly("{}");
    }

    @Test
    void documentsOfAKindAreListedInIdOrderAndCanBeDeleted() {
        WorkspaceId acme = workspace();
        store().putDocument(acme, "segment", "s2", "two");
        store().putDocument(acme, "segment", "s1", "one");
        store().putDocument(acme, "other", "s0", "zero");

        assertThat(store().listDocuments(acme, "segment")).containsExactly("one", "two");
        assertThat(store().deleteDocument(acme, "segment", "s1")).isTrue();
        assertThat(store().deleteDocument(acme, "segment", "s1")).isFalse();
        assertThat(store().listDocuments(acme, "segment")).containsExactly("two");
        assertThat(store().findDocument(acme, "other", "s0")).contains("zero");
    }

    // ---- the property: search equals brute force

    /** Contacts, events (with duplicates), contacts deleted afterwards, a query and a page size. */
    public record Scenario(
            List<Contact> contacts, List<List<Drawn>> batches, Set<Integer> deleted, Query query, int perPage) {}

    /** One drawn event: which contact, which name, which day and second. */
    public record Drawn(int contact, String name, long createdAt) {}

    @Property(tries = 100)
    void searchFindsExactlyWhatBruteForceFindsAndCountsExactly(@ForAll("scenarios") Scenario scenario) {
        searchEqualsBruteForce(scenario);
    }

    /**
     * The same for queries that are only conditions on event summaries, each requiring its event:
     * what a store may answer on its own ({@link TallyStore#searchSummaries}), rare among the
     * random queries above.
     */
    @Property(tries = 50)
    void searchOfEventConditionsAloneFindsExactlyWhatBruteForceFinds(
            @ForAll("eventConditionScenarios") Scenario scenario) {
        searchEqualsBruteForce(scenario);
    }

    private void searchEqualsBruteForce(Scenario scenario) {
        WorkspaceId workspaceId = workspace();
        List<Contact> contacts = new ArrayList<>();
        for (Contact drawn : scenario.contacts()) {
            Contact contact = new Contact(
                    drawn.id(),
                    workspaceId,
                    drawn.role(),
                    drawn.externalId(),
                    drawn.email(),
                    drawn.name(),
                    drawn.createdAt(),
                    drawn.updatedAt());
            assertThat(store().insertContact(contact)).isTrue();
            contacts.add(contact);
        }
        // Brute force: the distinct events of each contact still there, summarized by hand.
        Map<String, Map<EventName, EventSummary>> expectedSummaries = new TreeMap<>();
        Map<String, Set<String>> seenKeys = new TreeMap<>();
        for (List<Drawn> batch : scenario.batches()) {
            List<DataEvent> events = new ArrayList<>();
            for (Drawn drawn : batch) {
                Contact contact = contacts.get(drawn.contact());
                events.add(event(workspaceId, contact, drawn.name(), drawn.createdAt(), Map.of()));
                if (seenKeys.computeIfAbsent(contact.id().value(), id -> new java.util.HashSet<>())
                        .add(drawn.name() + "@" + drawn.createdAt())) {
                    expectedSummaries
                            .computeIfAbsent(contact.id().value(), id -> new TreeMap<>())
                            .merge(
                                    new EventName(drawn.name()),
                                    EventSummary.of(new EventName(drawn.name()), drawn.createdAt()),
                                    EventSummary::plus);
                }
            }
            store().append(events);
        }
        for (int index : scenario.deleted()) {
            assertThat(store().deleteContact(workspaceId, contacts.get(index).id()))
                    .isTrue();
            expectedSummaries.remove(contacts.get(index).id().value());
        }
        List<Contact> remaining = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            if (!scenario.deleted().contains(i)) {
                remaining.add(contacts.get(i));
            }
        }
        remaining.sort(java.util.Comparator.comparing(contact -> contact.id().value()));

        Query resolved = scenario.query().at(NOW);
        List<ContactId> expected = remaining.stream()
                .filter(contact -> resolved.matches(new dev.tally.search.Candidate() {
                    @Override
                    public Contact contact() {
                        return contact;
                    }

                    @Override
                    public Optional<EventSummary> summary(EventName name) {
                        return Optional.ofNullable(expectedSummaries
                                .getOrDefault(contact.id().value(), Map.of())
                                .get(name));
                    }
                }))
                .map(Contact::id)
                .toList();

        net.jqwik.api.statistics.Statistics.label("matches")
                .collect(expected.isEmpty() ? "none" : expected.size() == remaining.size() ? "all" : "some");
        SearchService search = search();
        // Twice: a store may answer a query asked again differently (PostgreSQL from its copies).
        for (int asked = 1; asked <= 2; asked++) {
            List<ContactId> found = new ArrayList<>();
            Optional<ContactId> after = Optional.empty();
            while (true) {
                SearchService.SearchPage page = search.search(workspaceId, scenario.query(), after, scenario.perPage());
                assertThat(page.totalCount()).isEqualTo(expected.size());
                page.contacts().forEach(contact -> found.add(contact.id()));
                if (page.next().isEmpty()) {
                    break;
                }
                after = page.next();
            }
            assertThat(found).isEqualTo(expected);
            assertThat(search.count(workspaceId, scenario.query())).isEqualTo(expected.size());
        }

        // The catalog and the index agree with the same brute force.
        for (String name : NAMES) {
            EventName eventName = new EventName(name);
            List<ContactSummary> index = store().eventIndex(workspaceId, eventName, Optional.empty(), 1_000);
            List<ContactSummary> expectedIndex = expectedSummaries.entrySet().stream()
                    .filter(entry -> entry.getValue().containsKey(eventName))
                    .map(entry -> new ContactSummary(
                            new ContactId(entry.getKey()), entry.getValue().get(eventName)))
                    .toList();
            assertThat(index).isEqualTo(expectedIndex);
            Optional<CatalogEntry> entry = store().catalog(workspaceId).stream()
                    .filter(candidate -> candidate.name().equals(eventName))
                    .findFirst();
            long count = expectedIndex.stream()
                    .mapToLong(summary -> summary.summary().count())
                    .sum();
            assertThat(entry.map(CatalogEntry::count).orElse(0L)).isEqualTo(count);
            assertThat(entry.map(CatalogEntry::contacts).orElse(0L)).isEqualTo(expectedIndex.size());
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return scenarios(queries());
    }

    @Provide
    Arbitrary<Scenario> eventConditionScenarios() {
        return scenarios(eventConditionQueries());
    }

    private static Arbitrary<Scenario> scenarios(Arbitrary<Query> queries) {
        Arbitrary<List<Contact>> contacts =
                contactArbitrary().list().ofMinSize(2).ofMaxSize(14).map(SegmentStoreContract::uniqueIds);
        return contacts.flatMap(drawn -> {
            int size = drawn.size();
            Arbitrary<List<List<Drawn>>> batches = size == 0
                    ? Arbitraries.just(List.of())
                    : Combinators.combine(
                                    Arbitraries.integers().between(0, size - 1),
                                    Arbitraries.of(NAMES),
                                    Arbitraries.longs().between(0, 10).map(day -> day * DAY),
                                    Arbitraries.longs().between(0, 2))
                            .as((contact, name, day, second) -> new Drawn(contact, name, day + second))
                            .list()
                            .ofMaxSize(25)
                            .list()
                            .ofMinSize(1)
                            .ofMaxSize(3);
            Arbitrary<Set<Integer>> deleted = size == 0
                    ? Arbitraries.just(Set.of())
                    : Arbitraries.integers().between(0, size - 1).set().ofMaxSize(Math.min(2, size));
            return Combinators.combine(
                            batches, deleted, queries, Arbitraries.integers().between(1, 6))
                    .as((b, d, q, p) -> new Scenario(drawn, b, d, q, p));
        });
    }

    private static List<Contact> uniqueIds(List<Contact> drawn) {
        List<Contact> contacts = new ArrayList<>();
        Set<String> externalIds = new java.util.HashSet<>();
        for (int i = 0; i < drawn.size(); i++) {
            Contact contact = drawn.get(i);
            Optional<String> externalId = contact.externalId().filter(externalIds::add);
            contacts.add(new Contact(
                    new ContactId(String.format("c%02d", (i * 7) % 16 + i / 16 * 16)),
                    contact.workspaceId(),
                    contact.role(),
                    externalId,
                    contact.email(),
                    contact.name(),
                    contact.createdAt(),
                    contact.updatedAt()));
        }
        return contacts;
    }

    private static Arbitrary<Contact> contactArbitrary() {
        Arbitrary<Optional<String>> externalId =
                Arbitraries.of("u1", "u2", "u3").optional(0.6);
        Arbitrary<Optional<String>> email =
                Arbitraries.of("a@x.io", "b@x.io", "B@X.IO").optional(0.7);
        Arbitrary<Optional<String>> name =
                Arbitraries.of("Ann", "ann", "Bob", "Anna").optional(0.6);
        Arbitrary<Instant> day = Arbitraries.longs().between(0, 10).map(d -> Instant.ofEpochSecond(d * DAY));
        return Combinators.combine(Arbitraries.of(Role.class), externalId, email, name, day, day)
                .as((role, ext, mail, person, created, updated) -> new Contact(
                        new ContactId("placeholder"),
                        new WorkspaceId("placeholder"),
                        role,
                        ext,
                        mail,
                        person,
                        created,
                        updated));
    }

    /** An AND of 1-3 conditions on event summaries that a contact without the event fails. */
    private static Arbitrary<Query> eventConditionQueries() {
        Arbitrary<EventName> names = Arbitraries.of(NAMES).map(EventName::new);
        Arbitrary<Value> date = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 11).map(d -> (Value) new Value.Whole(d * DAY)),
                Arbitraries.longs().between(0, 11).map(d -> (Value) new Value.DaysAgo(d)));
        Arbitrary<Query> dates = Combinators.combine(
                        names,
                        Arbitraries.of(EventField.Aspect.FIRST, EventField.Aspect.LAST),
                        Arbitraries.of(dev.tally.search.ValueType.DATE.operators()),
                        date)
                .as((name, aspect, operator, value) -> condition(new EventField(name, aspect), operator, value));
        Arbitrary<Query> counts = counts(names, Arbitraries.of(Operator.EQ, Operator.GT, Operator.GE, Operator.IN), 1)
                .map(condition -> (Query) condition);
        return Arbitraries.oneOf(dates, counts).list().ofMinSize(1).ofMaxSize(3).map(Query.And::new);
    }

    private static Arbitrary<Query> queries() {
        Arbitrary<Query> condition = conditions().map(c -> (Query) c);
        Arbitrary<Query> group2 = group(condition);
        Arbitrary<Query> group1 =
                group(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, condition), net.jqwik.api.Tuple.of(1, group2)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, condition), net.jqwik.api.Tuple.of(3, group1));
    }

    private static Arbitrary<Query> group(Arbitrary<Query> terms) {
        return Combinators.combine(
                        Arbitraries.of(true, false), terms.list().ofMinSize(1).ofMaxSize(4))
                .as((and, list) -> and ? (Query) new Query.And(list) : new Query.Or(list));
    }

    private static Arbitrary<Query.Condition> conditions() {
        Arbitrary<Value> text = Arbitraries.of(TEXTS).map(Value.Text::new);
        Arbitrary<Query.Condition> strings = Combinators.combine(
                        Arbitraries.of(
                                ContactField.ID,
                                ContactField.EXTERNAL_ID,
                                ContactField.EMAIL,
                                ContactField.NAME,
                                ContactField.ROLE),
                        Arbitraries.of(dev.tally.search.ValueType.STRING.operators()),
                        text.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.integers().between(0, 9))
                .as((field, operator, values, nullChance) -> {
                    if (field.optional() && nullChance == 0 && (operator == Operator.EQ || operator == Operator.NE)) {
                        return new Query.Condition(field, operator, List.of(Value.Null.NULL));
                    }
                    return new Query.Condition(field, operator, operator.takesList() ? values : values.subList(0, 1));
                });
        Arbitrary<Value> date = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 11).map(d -> (Value) new Value.Whole(d * DAY)),
                Arbitraries.longs().between(0, 11).map(d -> (Value) new Value.DaysAgo(d)),
                Arbitraries.longs().between(0, 11 * DAY).map(s -> (Value) new Value.Whole(s)));
        Arbitrary<Query.Condition> contactDates = Combinators.combine(
                        Arbitraries.of(ContactField.CREATED_AT, ContactField.UPDATED_AT),
                        Arbitraries.of(dev.tally.search.ValueType.DATE.operators()),
                        date)
                .as((field, operator, value) -> new Query.Condition(field, operator, List.of(value)));
        Arbitrary<EventName> names = Arbitraries.of(NAMES).map(EventName::new);
        Arbitrary<Query.Condition> eventDates = Combinators.combine(
                        names,
                        Arbitraries.of(EventField.Aspect.FIRST, EventField.Aspect.LAST),
                        Arbitraries.of(dev.tally.search.ValueType.DATE.operators()),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(6, date),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just((Value) Value.Null.NULL))))
                .as((name, aspect, operator, value) -> new Query.Condition(
                        new EventField(name, aspect),
                        value == Value.Null.NULL && operator != Operator.EQ ? Operator.EQ : operator,
                        List.of(value)));
        Arbitrary<Query.Condition> counts =
                counts(names, Arbitraries.of(dev.tally.search.ValueType.NUMBER.operators()), 0);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, strings),
                net.jqwik.api.Tuple.of(1, contactDates),
                net.jqwik.api.Tuple.of(3, eventDates),
                net.jqwik.api.Tuple.of(4, counts));
    }

    /** {@code events.<name>.count <operator> <values>}, values from {@code least} to 4. */
    private static Arbitrary<Query.Condition> counts(
            Arbitrary<EventName> names, Arbitrary<Operator> operators, long least) {
        return Combinators.combine(
                        names,
                        operators,
                        Arbitraries.longs()
                                .between(least, 4)
                                .map(n -> (Value) new Value.Whole(n))
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(3))
                .as((name, operator, values) -> new Query.Condition(
                        new EventField(name, EventField.Aspect.COUNT),
                        operator,
                        operator.takesList() ? values : values.subList(0, 1)));
    }

    // ---- fixtures

    private SearchService search() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new SearchService(store(), new SegmentService(store(), clock), clock);
    }

    private WorkspaceId workspace() {
        WorkspaceId id = WorkspaceId.random();
        store().insertWorkspace(new Workspace(id, "ws-" + id.value(), NOW, java.util.OptionalLong.empty()));
        return id;
    }

    private Contact contact(WorkspaceId workspaceId, String id) {
        Contact contact = contactRecord(workspaceId, id, Role.USER);
        assertThat(store().insertContact(contact)).isTrue();
        return contact;
    }

    private static Contact contactRecord(WorkspaceId workspaceId, String id, Role role) {
        return new Contact(
                new ContactId(id),
                workspaceId,
                role,
                role == Role.USER ? Optional.of("ext-" + id) : Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                NOW,
                NOW);
    }

    private static DataEvent event(
            WorkspaceId workspaceId,
            Contact contact,
            String name,
            long createdAt,
            Map<String, MetadataValue> metadata) {
        return new DataEvent(
                EventId.random(),
                workspaceId,
                contact.id(),
                new EventName(name),
                createdAt,
                new Metadata(new LinkedHashMap<>(metadata)));
    }

    private static Query condition(dev.tally.search.Field field, Operator operator, Value value) {
        return new Query.Condition(field, operator, List.of(value));
    }

    private CatalogEntry onlyEntry(WorkspaceId workspaceId) {
        List<CatalogEntry> catalog = store().catalog(workspaceId);
        assertThat(catalog).hasSize(1);
        return catalog.get(0);
    }

    private Map<String, CatalogEntry> catalogByName(WorkspaceId workspaceId) {
        return store().catalog(workspaceId).stream()
                .collect(Collectors.toMap(entry -> entry.name().value(), entry -> entry));
    }
}
