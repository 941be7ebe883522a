package dev.tally.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.search.EventField.Aspect;
import dev.tally.search.Operator;
import dev.tally.search.SummaryCondition;
import dev.tally.service.ContactMergeService;
import dev.tally.service.ContactService;
import dev.tally.storage.SummarySearch;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Searches answered from this node's copies of the summaries (see {@link SummaryCopies}) against
 * a real PostgreSQL: that they are used, that they answer exactly what the SQL answers, including
 * right after another node (another store on the same schema) appended, deleted or merged, and
 * that each kind of write bumps the versions the copies are checked against.
 */
class PostgresSummaryCopiesTest {
    private static final WorkspaceId ACME = new WorkspaceId("acme");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final EventName ORDERED = new EventName("placed-order");
    private static final EventName VIEWED = new EventName("viewed-item");
    private static final EventName SIGNED_UP = new EventName("signed-up");
    /** The bench's segment: ordered more than once, and viewed an item after t = 100. */
    private static final List<SummaryCondition> SEGMENT = List.of(
            new SummaryCondition(ORDERED, Aspect.COUNT, Operator.GT, List.of(1L)),
            new SummaryCondition(VIEWED, Aspect.LAST, Operator.GT, List.of(100L)));

    private TestDatabase.Schema schema;
    private final List<PostgresTallyStore> nodes = new ArrayList<>();
    private PostgresTallyStore nodeA;
    private PostgresTallyStore nodeB;

    @BeforeEach
    void openTwoNodes() {
        schema = TestDatabase.freshSchema();
        nodeA = node();
        nodeB = node();
        nodeA.insertWorkspace(new Workspace(ACME, "Acme", NOW, OptionalLong.empty()));
    }

    @AfterEach
    void dropSchema() throws SQLException {
        nodes.forEach(PostgresTallyStore::close);
        if (schema != null) {
            schema.close();
        }
    }

    private PostgresTallyStore node() {
        PostgresTallyStore opened = schema.openStore();
        nodes.add(opened);
        return opened;
    }

    // ---- answered from copies, exactly as in SQL

    @Test
    void aSearchAskedAgainIsAnsweredFromCopiesWithExactlyWhatSqlAnswers() {
        // c00..c19: c_i ordered i % 4 times and viewed at 50 + 10 i, so c06, c07, c10, c11, ... match.
        for (int i = 0; i < 20; i++) {
            Contact contact = contact(nodeA, "c%02d".formatted(i));
            List<DataEvent> events = new ArrayList<>();
            for (int k = 0; k < i % 4; k++) {
                events.add(event(contact, ORDERED, k));
            }
            events.add(event(contact, VIEWED, 50 + 10L * i));
            nodeA.append(events);
        }
        List<String> expected = List.of("c06", "c07", "c10", "c11", "c14", "c15", "c18", "c19");

        SummarySearch first = search(nodeA, Optional.empty(), 50);
        assertThat(inMemory(nodeA)).isZero();
        SummarySearch again = search(nodeA, Optional.empty(), 50);

        assertThat(inMemory(nodeA)).isEqualTo(1);
        assertThat(ids(again)).isEqualTo(expected);
        assertThat(again).isEqualTo(first);
        assertThat(again.total()).isEqualTo(8);
        SummarySearch secondPage = search(nodeA, Optional.of(new ContactId("c10")), 3);
        assertThat(inMemory(nodeA)).isEqualTo(2);
        assertThat(ids(secondPage)).containsExactly("c11", "c14", "c15");
        assertThat(secondPage.before()).isEqualTo(3);
        assertThat(secondPage)
                .isEqualTo(nodeA.searchSummariesInSql(ACME, SEGMENT, Optional.of(new ContactId("c10")), 3));
        assertThat(statistic(nodeA, "summary_copies")).isEqualTo(2);
    }

    @Test
    void copiesAnswerExactlyWhatSqlAnswersForRandomConjunctionsBetweenRandomWritesOfTwoNodes() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<EventName> names = List.of(ORDERED, VIEWED, SIGNED_UP, new EventName("churned"));
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            contacts.add(contact(nodeA, "c" + Integer.toString(random.nextInt(36 * 36 * 36), 36) + "-" + i));
        }
        for (int round = 0; round < 6; round++) {
            PostgresTallyStore writer = random.nextBoolean() ? nodeA : nodeB;
            List<DataEvent> events = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                Contact contact = contacts.get(random.nextInt(contacts.size()));
                events.add(event(contact, names.get(random.nextInt(names.size())), random.nextInt(30)));
            }
            writer.append(events);
            if (round % 2 == 1) {
                assertThat(writer.deleteContact(
                                ACME,
                                contacts.remove(random.nextInt(contacts.size())).id()))
                        .isTrue();
            }
            for (int query = 0; query < 15; query++) {
                List<SummaryCondition> conditions = randomConjunction(random, names);
                Optional<ContactId> after = random.nextInt(3) == 0
                        ? Optional.empty()
                        : Optional.of(
                                contacts.get(random.nextInt(contacts.size())).id());
                int limit = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(20);
                SummarySearch expected = nodeA.searchSummariesInSql(ACME, conditions, after, limit);

                assertThat(nodeA.searchSummaries(ACME, conditions, after, limit))
                        .as("seed %d, round %d: %s after %s", seed, round, conditions, after)
                        .contains(expected);
                long inMemory = inMemory(nodeA);
                assertThat(nodeA.searchSummaries(ACME, conditions, after, limit))
                        .as("seed %d, round %d, asked again: %s after %s", seed, round, conditions, after)
                        .contains(expected);
                assertThat(inMemory(nodeA)).as("asked again, from copies").isEqualTo(inMemory + 1);
            }
        }
    }

    @Test
    void aNameNoContactDidMatchesNothing() {
        Contact ann = contact(nodeA, "ann");
        nodeA.append(List.of(event(ann, ORDERED, 1), event(ann, ORDERED, 2)));
        List<SummaryCondition> never = List.of(
                new SummaryCondition(ORDERED, Aspect.COUNT, Operator.GE, List.of(1L)),
                new SummaryCondition(new EventName("never-seen"), Aspect.COUNT, Operator.GE, List.of(1L)));

        assertThat(nodeA.searchSummaries(ACME, never, Optional.empty(), 10))
                .contains(new SummarySearch(List.of(), 0, 0))
                .contains(nodeA.searchSummariesInSql(ACME, never, Optional.empty(), 10));
    }

    // ---- another node's writes are in this node's next answer

    @Test
    void anAppendOnAnotherNodeIsInThisNodesNextAnswer() {
        Contact ann = contact(nodeA, "ann");
        Contact bob = contact(nodeA, "bob");
        nodeA.append(List.of(event(ann, ORDERED, 1), event(ann, ORDERED, 2), event(ann, VIEWED, 200)));
        nodeA.append(List.of(event(bob, ORDERED, 1), event(bob, VIEWED, 200)));
        assertThat(answeredFromCopies(nodeA)).containsExactly("ann");

        nodeB.append(List.of(event(bob, ORDERED, 3)));

        assertThat(ids(search(nodeA, Optional.empty(), 50))).containsExactly("ann", "bob");
        assertThat(answeredFromCopies(nodeA)).containsExactly("ann", "bob");
    }

    @Test
    void aDeletionOnAnotherNodeIsInThisNodesNextAnswer() {
        Contact ann = contact(nodeA, "ann");
        Contact bob = contact(nodeA, "bob");
        for (Contact contact : List.of(ann, bob)) {
            nodeA.append(List.of(event(contact, ORDERED, 1), event(contact, ORDERED, 2), event(contact, VIEWED, 200)));
        }
        assertThat(answeredFromCopies(nodeA)).containsExactly("ann", "bob");

        assertThat(nodeB.deleteContact(ACME, ann.id())).isTrue();

        SummarySearch next = search(nodeA, Optional.empty(), 50);
        assertThat(ids(next)).containsExactly("bob");
        assertThat(next.total()).isEqualTo(1);
        assertThat(answeredFromCopies(nodeA)).containsExactly("bob");
    }

    @Test
    void aMergeOnAnotherNodeIsInThisNodesNextAnswer() {
        Contact lead = insert(nodeA, "lead", Role.LEAD);
        Contact user = contact(nodeA, "user");
        nodeA.append(List.of(event(lead, ORDERED, 1), event(lead, ORDERED, 2), event(lead, VIEWED, 200)));
        nodeA.append(List.of(event(user, VIEWED, 300)));
        assertThat(answeredFromCopies(nodeA)).containsExactly("lead");

        merge(nodeB, lead, user);

        assertThat(ids(search(nodeA, Optional.empty(), 50))).containsExactly("user");
        assertThat(answeredFromCopies(nodeA)).containsExactly("user");
    }

    // ---- every writer of summaries bumps the versions of the names it changed

    @Test
    void anAppendBumpsTheVersionOfEachNameItStoredAnEventOfOnce() throws SQLException {
        Contact ann = contact(nodeA, "ann");
        nodeA.append(List.of(event(ann, ORDERED, 1), event(ann, SIGNED_UP, 1)));
        Map<EventName, Long> before = versions();

        nodeB.append(List.of(event(ann, ORDERED, 2), event(ann, ORDERED, 3), event(ann, VIEWED, 3)));

        Map<EventName, Long> after = versions();
        assertThat(after.get(ORDERED)).isEqualTo(before.get(ORDERED) + 1);
        assertThat(after.get(SIGNED_UP)).isEqualTo(before.get(SIGNED_UP));
        assertThat(after).containsKey(VIEWED);
    }

    @Test
    void anAppendOfDuplicatesOnlyBumpsNoVersion() throws SQLException {
        Contact ann = contact(nodeA, "ann");
        DataEvent ordered = event(ann, ORDERED, 1);
        nodeA.append(List.of(ordered));
        Map<EventName, Long> before = versions();

        nodeB.append(List.of(ordered));

        assertThat(versions()).isEqualTo(before);
    }

    @Test
    void deletingAContactBumpsTheVersionOfEachNameItHadEventsOfAndNoOther() throws SQLException {
        Contact ann = contact(nodeA, "ann");
        Contact bob = contact(nodeA, "bob");
        nodeA.append(List.of(event(ann, ORDERED, 1), event(ann, VIEWED, 1), event(bob, SIGNED_UP, 1)));
        Map<EventName, Long> before = versions();

        assertThat(nodeB.deleteContact(ACME, ann.id())).isTrue();

        Map<EventName, Long> after = versions();
        assertThat(after.get(ORDERED)).isEqualTo(before.get(ORDERED) + 1);
        assertThat(after.get(VIEWED)).isEqualTo(before.get(VIEWED) + 1);
        assertThat(after.get(SIGNED_UP)).isEqualTo(before.get(SIGNED_UP));
    }

    @Test
    void mergingALeadBumpsTheVersionOfEachNameItMovedAndNoOther() throws SQLException {
        Contact lead = insert(nodeA, "lead", Role.LEAD);
        Contact user = contact(nodeA, "user");
        nodeA.append(List.of(event(lead, ORDERED, 1), event(user, VIEWED, 1)));
        Map<EventName, Long> before = versions();

        merge(nodeB, lead, user);

        Map<EventName, Long> after = versions();
        assertThat(after.get(ORDERED)).isGreaterThan(before.get(ORDERED));
        assertThat(after.get(VIEWED)).isEqualTo(before.get(VIEWED));
    }

    // ---- fixtures

    private static SummarySearch search(PostgresTallyStore node, Optional<ContactId> after, int limit) {
        return node.searchSummaries(ACME, SEGMENT, after, limit).orElseThrow();
    }

    /**
     * The segment's matches, asked twice: the second answer comes from copies (the names were
     * unchanged since the first), and both equal the SQL's.
     */
    private static List<String> answeredFromCopies(PostgresTallyStore node) {
        SummarySearch inSql = node.searchSummariesInSql(ACME, SEGMENT, Optional.empty(), 50);
        assertThat(search(node, Optional.empty(), 50)).isEqualTo(inSql);
        long inMemory = inMemory(node);
        SummarySearch again = search(node, Optional.empty(), 50);
        assertThat(inMemory(node)).as("answered from copies").isEqualTo(inMemory + 1);
        assertThat(again).isEqualTo(inSql);
        return ids(again);
    }

    private static List<String> ids(SummarySearch search) {
        return search.page().stream().map(contact -> contact.id().value()).toList();
    }

    private static long inMemory(PostgresTallyStore node) {
        return statistic(node, "summary_searches_in_memory");
    }

    private static long statistic(PostgresTallyStore node, String name) {
        return node.operations().statistics().get(name).longValue();
    }

    private static List<SummaryCondition> randomConjunction(Random random, List<EventName> names) {
        List<SummaryCondition> conditions = new ArrayList<>();
        int size = 1 + random.nextInt(3);
        for (int i = 0; i < size; i++) {
            EventName name = names.get(random.nextInt(names.size()));
            Aspect aspect = Aspect.values()[random.nextInt(Aspect.values().length)];
            long value = aspect == Aspect.COUNT ? 1 + random.nextInt(3) : random.nextInt(30);
            Operator operator = List.of(Operator.EQ, Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.IN)
                    .get(random.nextInt(6));
            if (aspect == Aspect.COUNT && (operator == Operator.LT || operator == Operator.LE)) {
                operator = Operator.GE; // count < n passes 0: not a conjunction a store answers
            }
            List<Long> values = operator == Operator.IN ? List.of(value, value + 1, value + 3) : List.of(value);
            conditions.add(new SummaryCondition(name, aspect, operator, values));
        }
        return conditions;
    }

    /** Each event name's catalog version in the workspace. */
    private Map<EventName, Long> versions() throws SQLException {
        Map<EventName, Long> versions = new HashMap<>();
        try (Connection connection = TestDatabase.connect(schema.config());
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT name, version FROM " + schema.name() + ".event_catalog WHERE workspace_id = ?")) {
            statement.setString(1, ACME.value());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    versions.put(new EventName(rows.getString(1)), rows.getLong(2));
                }
            }
        }
        return versions;
    }

    private static void merge(PostgresTallyStore node, Contact lead, Contact user) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        new ContactMergeService(node, new ContactService(node, clock)).merge(ACME, lead.id(), user.id());
    }

    private static Contact contact(PostgresTallyStore node, String id) {
        return insert(node, id, Role.USER);
    }

    private static Contact insert(PostgresTallyStore node, String id, Role role) {
        Contact contact = new Contact(
                new ContactId(id),
                ACME,
                role,
                role == Role.USER ? Optional.of("ext-" + id) : Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                NOW,
                NOW);
        assertThat(node.insertContact(contact)).isTrue();
        return contact;
    }

    private static DataEvent event(Contact contact, EventName name, long createdAt) {
        return new DataEvent(
                EventId.random(), ACME, contact.id(), name, createdAt, new Metadata(new LinkedHashMap<>()));
    }
}
