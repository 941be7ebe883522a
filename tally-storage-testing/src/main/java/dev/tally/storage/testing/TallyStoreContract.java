package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.auth.AccessToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.AppendResult;
import dev.tally.event.AppendResult.Status;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.metadata.MetadataValue.DateValue;
import dev.tally.metadata.MetadataValue.LinkValue;
import dev.tally.metadata.MetadataValue.MoneyValue;
import dev.tally.metadata.MetadataValue.NumberValue;
import dev.tally.metadata.MetadataValue.RichLinkValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.metadata.MetadataValue.StripeValue;
import dev.tally.storage.TallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TallyStore} must show. A backend's test extends this class and
 * supplies a fresh, empty store per test; it may skip a test only with a written reason (as
 * {@link #reopen} does for stores that keep nothing across close).
 */
public abstract class TallyStoreContract {
    protected static final Instant NOW = Instant.parse("2024-05-01T12:00:00.123456789Z");

    private static final int ALL = 10_000;

    private TallyStore store;
    private boolean storeClosed;

    /** A fresh, empty store. Called once before every test. */
    protected abstract TallyStore newStore();

    /** Releases a store after a test; backends that hold files or connections can clean up here. */
    protected void closeStore(TallyStore closing) {
        closing.close();
    }

    /**
     * Opens again the store that was just closed, over the same data. Empty for a backend that keeps
     * nothing across close, which skips the durability test.
     */
    protected Optional<TallyStore> reopen(TallyStore closed) {
        return Optional.empty();
    }

    protected final TallyStore store() {
        return store;
    }

    @BeforeEach
    protected final void openStore() {
        store = newStore();
        storeClosed = false;
    }

    @AfterEach
    protected final void releaseStore() {
        // No store when newStore() skipped the test (a backend that is not available here).
        if (store != null && !storeClosed) {
            closeStore(store);
        }
    }

    // ---- workspaces

    @Test
    public void insertedWorkspaceIsFoundAndListed() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");

        assertThat(store.findWorkspace(acme.id())).contains(acme);
        assertThat(store.listWorkspaces()).containsExactlyInAnyOrder(acme, globex);
    }

    @Test
    public void unknownWorkspaceIsAbsent() {
        workspace("acme");

        assertThat(store.findWorkspace(new WorkspaceId("nope"))).isEmpty();
    }

    @Test
    public void updateWorkspaceReplacesItsSettings() {
        Workspace acme = workspace("acme");
        Workspace limited = acme.withRateLimitPerMinute(OptionalLong.of(600));

        assertThat(store.updateWorkspace(limited)).isTrue();

        assertThat(store.findWorkspace(acme.id())).contains(limited);
        assertThat(store.listWorkspaces()).containsExactly(limited);
    }

    @Test
    public void updateOfUnknownWorkspaceReturnsFalseAndCreatesNothing() {
        Workspace ghost = new Workspace(new WorkspaceId("ghost"), "Ghost", NOW, OptionalLong.empty());

        assertThat(store.updateWorkspace(ghost)).isFalse();

        assertThat(store.findWorkspace(ghost.id())).isEmpty();
    }

    // ---- tokens

    @Test
    public void insertedTokenIsFoundByItsHash() {
        Workspace acme = workspace("acme");
        AccessToken token = token(acme.id(), "secret-1");

        assertThat(store.findToken(TokenHash.of("secret-1"))).contains(token);
        assertThat(store.findToken(TokenHash.of("secret-2"))).isEmpty();
    }

    @Test
    public void tokensAreListedOnlyForTheirWorkspace() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");
        AccessToken first = token(acme.id(), "secret-1");
        AccessToken second = token(acme.id(), "secret-2");
        AccessToken other = token(globex.id(), "secret-3");

        assertThat(store.listTokens(acme.id())).containsExactlyInAnyOrder(first, second);
        assertThat(store.listTokens(globex.id())).containsExactly(other);
        assertThat(store.listTokens(new WorkspaceId("nope"))).isEmpty();
    }

    @Test
    public void updateTokenRevokesIt() {
        Workspace acme = workspace("acme");
        AccessToken token = token(acme.id(), "secret-1");
        AccessToken revoked = token.revoked(NOW.plusSeconds(60));

        assertThat(store.updateToken(revoked)).isTrue();

        assertThat(store.findToken(token.hash())).contains(revoked);
        assertThat(store.listTokens(acme.id())).containsExactly(revoked);
    }

    @Test
    public void updateOfTokenInAnotherWorkspaceReturnsFalseAndChangesNothing() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");
        AccessToken token = token(acme.id(), "secret-1");
        AccessToken hijacked = new AccessToken(
                token.id(),
                globex.id(),
                token.hash(),
                token.scopes(),
                token.label(),
                token.createdAt(),
                Optional.of(NOW));

        assertThat(store.updateToken(hijacked)).isFalse();

        assertThat(store.findToken(token.hash())).contains(token);
        assertThat(store.listTokens(globex.id())).isEmpty();
    }

    @Test
    public void updateOfUnknownTokenReturnsFalse() {
        Workspace acme = workspace("acme");
        AccessToken never = new AccessToken(
                new TokenId("tok_never"),
                acme.id(),
                TokenHash.of("never"),
                Set.of(Scope.READ),
                "never",
                NOW,
                Optional.empty());

        assertThat(store.updateToken(never)).isFalse();

        assertThat(store.findToken(never.hash())).isEmpty();
    }

    // ---- contacts

    @Test
    public void insertedContactIsFoundByIdExternalIdAndEmail() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ada-ext", "ada@example.com");

        assertThat(store.findContact(acme, ada.id())).contains(ada);
        assertThat(store.findContactByExternalId(acme, "ada-ext")).contains(ada);
        assertThat(store.findContactsByEmail(acme, "ada@example.com")).containsExactly(ada);
    }

    @Test
    public void unknownContactIsAbsent() {
        WorkspaceId acme = workspace("acme").id();
        user(acme, "c1", "ada-ext", "ada@example.com");

        assertThat(store.findContact(acme, new ContactId("c2"))).isEmpty();
        assertThat(store.findContactByExternalId(acme, "bob-ext")).isEmpty();
        assertThat(store.findContactsByEmail(acme, "bob@example.com")).isEmpty();
    }

    @Test
    public void emailIsComparedExactly() {
        WorkspaceId acme = workspace("acme").id();
        user(acme, "c1", "ada-ext", "ada@example.com");

        assertThat(store.findContactsByEmail(acme, "Ada@example.com")).isEmpty();
        assertThat(store.findContactsByEmail(acme, "ada@example.co")).isEmpty();
    }

    @Test
    public void leadWithoutExternalIdOrEmailIsFoundById() {
        WorkspaceId acme = workspace("acme").id();
        Contact lead = new Contact(
                new ContactId("lead1"),
                acme,
                Role.LEAD,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                NOW,
                NOW);

        assertThat(store.insertContact(lead)).isTrue();

        assertThat(store.findContact(acme, lead.id())).contains(lead);
    }

    @Test
    public void secondContactWithSameExternalIdIsRejected() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact impostor = contact(acme, "c2", Optional.of("ext-1"), Optional.of("imp@example.com"));

        assertThat(store.insertContact(impostor)).isFalse();

        assertThat(store.findContact(acme, impostor.id())).isEmpty();
        assertThat(store.findContactByExternalId(acme, "ext-1")).contains(ada);
        assertThat(store.findContactsByEmail(acme, "imp@example.com")).isEmpty();
    }

    @Test
    public void sameExternalIdIsAllowedInAnotherWorkspace() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact inAcme = user(acme, "c1", "ext-1", "ada@example.com");

        Contact inGlobex = contact(globex, "c2", Optional.of("ext-1"), Optional.of("ada@example.com"));
        assertThat(store.insertContact(inGlobex)).isTrue();

        assertThat(store.findContactByExternalId(acme, "ext-1")).contains(inAcme);
        assertThat(store.findContactByExternalId(globex, "ext-1")).contains(inGlobex);
    }

    @Test
    public void contactsSharingAnEmailAreAllFoundInIdOrder() {
        WorkspaceId acme = workspace("acme").id();
        Contact second = user(acme, "c2", "ext-2", "shared@example.com");
        Contact first = user(acme, "c1", "ext-1", "shared@example.com");
        user(acme, "c3", "ext-3", "other@example.com");
        Contact third = user(acme, "c4", "ext-4", "shared@example.com");

        assertThat(store.findContactsByEmail(acme, "shared@example.com")).containsExactly(first, second, third);
    }

    @Test
    public void updateContactReplacesFieldsAndLookups() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "old-ext", "old@example.com");
        Contact renamed = new Contact(
                ada.id(),
                acme,
                Role.USER,
                Optional.of("new-ext"),
                Optional.of("new@example.com"),
                Optional.of("Ada L."),
                ada.createdAt(),
                NOW.plusSeconds(5));

        assertThat(store.updateContact(renamed)).isTrue();

        assertThat(store.findContact(acme, ada.id())).contains(renamed);
        assertThat(store.findContactByExternalId(acme, "new-ext")).contains(renamed);
        assertThat(store.findContactByExternalId(acme, "old-ext")).isEmpty();
        assertThat(store.findContactsByEmail(acme, "new@example.com")).containsExactly(renamed);
        assertThat(store.findContactsByEmail(acme, "old@example.com")).isEmpty();
    }

    @Test
    public void updateContactFreesItsOldExternalIdForOthers() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "old-ext", "ada@example.com");
        store.updateContact(withExternalId(ada, Optional.of("new-ext")));

        Contact bob = contact(acme, "c2", Optional.of("old-ext"), Optional.empty());
        assertThat(store.insertContact(bob)).isTrue();

        assertThat(store.findContactByExternalId(acme, "old-ext")).contains(bob);
    }

    @Test
    public void updateContactKeepingItsOwnExternalIdSucceeds() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact named = new Contact(
                ada.id(),
                acme,
                Role.USER,
                ada.externalId(),
                ada.email(),
                Optional.of("Ada"),
                ada.createdAt(),
                NOW.plusSeconds(1));

        assertThat(store.updateContact(named)).isTrue();

        assertThat(store.findContactByExternalId(acme, "ext-1")).contains(named);
    }

    @Test
    public void updateContactToAnotherContactsExternalIdIsRejected() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact bob = user(acme, "c2", "ext-2", "bob@example.com");

        assertThat(store.updateContact(withExternalId(bob, Optional.of("ext-1"))))
                .isFalse();

        assertThat(store.findContact(acme, bob.id())).contains(bob);
        assertThat(store.findContactByExternalId(acme, "ext-1")).contains(ada);
        assertThat(store.findContactByExternalId(acme, "ext-2")).contains(bob);
    }

    @Test
    public void updateContactCanDropTheExternalId() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact withoutExternalId = withExternalId(ada, Optional.empty());

        assertThat(store.updateContact(withoutExternalId)).isTrue();

        assertThat(store.findContact(acme, ada.id())).contains(withoutExternalId);
        assertThat(store.findContactByExternalId(acme, "ext-1")).isEmpty();
    }

    @Test
    public void updateOfUnknownContactReturnsFalseAndCreatesNothing() {
        WorkspaceId acme = workspace("acme").id();
        Contact ghost = contact(acme, "ghost", Optional.of("ghost-ext"), Optional.of("ghost@example.com"));

        assertThat(store.updateContact(ghost)).isFalse();

        assertThat(store.findContact(acme, ghost.id())).isEmpty();
        assertThat(store.findContactByExternalId(acme, "ghost-ext")).isEmpty();
        assertThat(store.findContactsByEmail(acme, "ghost@example.com")).isEmpty();
    }

    @Test
    public void listContactsPagesInIdOrderStrictlyAfterTheCursor() {
        WorkspaceId acme = workspace("acme").id();
        List<Contact> inIdOrder = new ArrayList<>();
        for (String id : List.of("c5", "c1", "c4", "c2", "c3")) {
            user(acme, id, "ext-" + id, id + "@example.com");
        }
        for (String id : List.of("c1", "c2", "c3", "c4", "c5")) {
            inIdOrder.add(store.findContact(acme, new ContactId(id)).orElseThrow());
        }

        List<Contact> first = store.listContacts(acme, Optional.empty(), 2);
        List<Contact> second = store.listContacts(acme, Optional.of(first.get(1).id()), 2);
        List<Contact> third = store.listContacts(acme, Optional.of(second.get(1).id()), 2);

        assertThat(first).containsExactlyElementsOf(inIdOrder.subList(0, 2));
        assertThat(second).containsExactlyElementsOf(inIdOrder.subList(2, 4));
        assertThat(third).containsExactlyElementsOf(inIdOrder.subList(4, 5));
        assertThat(store.listContacts(acme, Optional.of(new ContactId("c5")), 2))
                .isEmpty();
        assertThat(store.listContacts(acme, Optional.of(new ContactId("c25")), 10))
                .extracting(Contact::id)
                .containsExactly(new ContactId("c3"), new ContactId("c4"), new ContactId("c5"));
    }

    @Test
    public void contactIdsThatArePrefixesOfOthersStayApart() {
        WorkspaceId acme = workspace("acme").id();
        Contact shortId = lead(acme, "c1");
        Contact longId = lead(acme, "c10");
        store.append(List.of(event(shortId, "signed-up", 100), event(longId, "signed-up", 200)));

        assertThat(store.listContacts(acme, Optional.empty(), 10)).containsExactly(shortId, longId);
        assertThat(store.listEvents(acme, shortId.id(), 0, Optional.empty(), 10))
                .extracting(DataEvent::createdAt)
                .containsExactly(100L);
        assertThat(store.summaries(acme, shortId.id())).containsExactly(summary("signed-up", 1, 100, 100));

        assertThat(store.deleteContact(acme, shortId.id())).isTrue();

        assertThat(store.listEvents(acme, longId.id(), 0, Optional.empty(), 10))
                .extracting(DataEvent::createdAt)
                .containsExactly(200L);
        assertThat(store.summaries(acme, longId.id())).containsExactly(summary("signed-up", 1, 200, 200));
    }

    @Test
    public void deleteContactErasesItsEventsSummariesAndBaselines() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact bob = user(acme, "c2", "ext-2", "bob@example.com");
        store.append(List.of(event(ada, "paid", 100), event(bob, "paid", 100)));
        store.putBaselines(acme, ada.id(), List.of(summary("paid", 3, 10, 20)));

        assertThat(store.deleteContact(acme, ada.id())).isTrue();

        assertThat(store.findContact(acme, ada.id())).isEmpty();
        assertThat(store.findContactsByEmail(acme, "ada@example.com")).isEmpty();
        assertThat(store.listContacts(acme, Optional.empty(), 10)).containsExactly(bob);
        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10)).isEmpty();
        assertThat(store.summaries(acme, ada.id())).isEmpty();
        assertThat(store.baselines(acme, ada.id())).isEmpty();
        assertThat(store.listEvents(acme, bob.id(), 0, Optional.empty(), 10)).hasSize(1);
    }

    @Test
    public void deletedContactsEventsAreNotDuplicatesOfNewOnes() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        store.append(List.of(event(ada, "paid", 100)));
        store.deleteContact(acme, ada.id());
        store.insertContact(ada);

        assertThat(store.append(List.of(event(ada, "paid", 100))))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED);
        assertThat(store.summaries(acme, ada.id())).containsExactly(summary("paid", 1, 100, 100));
    }

    @Test
    public void deleteContactFreesItsExternalId() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        store.deleteContact(acme, ada.id());

        Contact successor = contact(acme, "c2", Optional.of("ext-1"), Optional.empty());
        assertThat(store.insertContact(successor)).isTrue();

        assertThat(store.findContactByExternalId(acme, "ext-1")).contains(successor);
    }

    @Test
    public void deleteOfUnknownContactReturnsFalse() {
        WorkspaceId acme = workspace("acme").id();

        assertThat(store.deleteContact(acme, new ContactId("ghost"))).isFalse();
    }

    // ---- append, duplicates and summaries

    @Test
    public void appendReturnsOneResultPerEventInOrder() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        Contact bob = lead(acme, "c2");

        List<AppendResult> results = store.append(List.of(
                event(ada, "a", 1), event(bob, "a", 1), event(ada, "a", 1), event(ada, "b", 1), event(bob, "a", 1)));

        assertThat(results)
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED, Status.STORED, Status.DUPLICATE, Status.STORED, Status.DUPLICATE);
    }

    @Test
    public void appendOfNothingReturnsNothing() {
        assertThat(store.append(List.of())).isEmpty();
    }

    @Test
    public void duplicateEventIsAcceptedButStoredOnce() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent original = event(ada, "placed-order", 1000, metadata("order", "first"));
        DataEvent again = event(ada, "placed-order", 1000, metadata("order", "second"));

        assertThat(store.append(List.of(original)))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED);
        assertThat(store.append(List.of(again))).containsExactly(AppendResult.duplicate());

        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10)).containsExactly(original);
        assertThat(store.summaries(acme, ada.id())).containsExactly(summary("placed-order", 1, 1000, 1000));
    }

    @Test
    public void duplicateWithinOneAppendKeepsTheFirstMetadata() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent original = event(ada, "placed-order", 1000, metadata("order", "first"));
        DataEvent again = event(ada, "placed-order", 1000, metadata("order", "second", "extra", "x"));

        assertThat(store.append(List.of(original, again)))
                .containsExactly(AppendResult.stored(List.of()), AppendResult.duplicate());

        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10)).containsExactly(original);
        assertThat(store.summaries(acme, ada.id())).containsExactly(summary("placed-order", 1, 1000, 1000));
        assertThat(store.trackedKeys(acme, name("placed-order"))).containsExactly("order");
    }

    @Test
    public void eventsDifferingInContactNameOrTimeAreNotDuplicates() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        Contact bob = lead(acme, "c2");

        List<AppendResult> results = store.append(List.of(
                event(ada, "paid", 1000),
                event(bob, "paid", 1000),
                event(ada, "refunded", 1000),
                event(ada, "paid", 1001)));

        assertThat(results).extracting(AppendResult::status).containsOnly(Status.STORED);
        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10)).hasSize(3);
    }

    @Test
    public void summariesAreExactAfterOutOfOrderInsertsAndDuplicates() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "paid", 500), event(ada, "paid", 300)));
        store.append(List.of(event(ada, "paid", 900), event(ada, "paid", 300), event(ada, "refunded", 700)));
        store.append(List.of(event(ada, "paid", 100), event(ada, "paid", 900)));

        assertThat(store.summaries(acme, ada.id()))
                .containsExactly(summary("paid", 4, 100, 900), summary("refunded", 1, 700, 700));
    }

    @Test
    public void summariesAreByNameAscending() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "zeta", 1), event(ada, "alpha", 2), event(ada, "mid", 3)));

        assertThat(store.summaries(acme, ada.id()))
                .extracting(EventSummary::name)
                .containsExactly(name("alpha"), name("mid"), name("zeta"));
    }

    @Test
    public void contactWithoutEventsHasNoSummariesOrEvents() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");

        assertThat(store.summaries(acme, ada.id())).isEmpty();
        assertThat(store.baselines(acme, ada.id())).isEmpty();
        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10)).isEmpty();
    }

    // ---- tracked keys

    @Test
    public void firstTenDistinctKeysBecomeTrackedAndLaterOnesAreIgnored() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent first = event(ada, "viewed", 1, keys("k01", "k02", "k03", "k04", "k05", "k06"));
        DataEvent second = event(ada, "viewed", 2, keys("k03", "k07", "k08", "k09", "k10", "k11", "k12"));
        DataEvent third = event(ada, "viewed", 3, keys("k12", "k01", "k13", "k10"));

        List<AppendResult> results = store.append(List.of(first, second));
        List<AppendResult> later = store.append(List.of(third));

        assertThat(results).containsExactly(AppendResult.stored(List.of()), AppendResult.stored(List.of("k11", "k12")));
        assertThat(later).containsExactly(AppendResult.stored(List.of("k12", "k13")));
        assertThat(store.trackedKeys(acme, name("viewed")))
                .containsExactly("k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10");
        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10))
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
        store.append(List.of(event(ada, "viewed", 1, keys("k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08"))));
        Metadata sent = metadata("z-new", "1", "k02", "2", "y-new", "3", "x-over", "4", "k01", "5");

        List<AppendResult> results = store.append(List.of(event(ada, "viewed", 2, sent)));

        assertThat(results).containsExactly(AppendResult.stored(List.of("x-over")));
        Metadata stored = store.listEvents(acme, ada.id(), 2, Optional.empty(), 1)
                .getFirst()
                .metadata();
        assertThat(stored.keys()).containsExactly("z-new", "k02", "y-new", "k01");
        assertThat(stored).isEqualTo(metadata("z-new", "1", "k02", "2", "y-new", "3", "k01", "5"));
    }

    @Test
    public void duplicateEventDoesNotTrackItsKeys() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "viewed", 1, keys("a"))));

        store.append(List.of(event(ada, "viewed", 1, keys("b", "c"))));

        assertThat(store.trackedKeys(acme, name("viewed"))).containsExactly("a");
    }

    @Test
    public void trackedKeysAreIndependentPerEventNameAndWorkspace() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact ada = lead(acme, "c1");
        Contact bob = lead(globex, "c1");
        List<String> twelve =
                IntStream.rangeClosed(1, 12).mapToObj(i -> "a%02d".formatted(i)).toList();
        store.append(List.of(event(ada, "viewed", 1, keys(twelve.toArray(String[]::new)))));

        List<AppendResult> otherName = store.append(List.of(event(ada, "clicked", 1, keys("b1", "b2"))));
        List<AppendResult> otherWorkspace = store.append(List.of(event(bob, "viewed", 1, keys("c1", "a11"))));

        assertThat(otherName).containsExactly(AppendResult.stored(List.of()));
        assertThat(otherWorkspace).containsExactly(AppendResult.stored(List.of()));
        assertThat(store.trackedKeys(acme, name("viewed"))).containsExactlyElementsOf(twelve.subList(0, 10));
        assertThat(store.trackedKeys(acme, name("clicked"))).containsExactly("b1", "b2");
        assertThat(store.trackedKeys(globex, name("viewed"))).containsExactly("c1", "a11");
        assertThat(store.trackedKeys(globex, name("clicked"))).isEmpty();
    }

    // ---- listing events

    @Test
    public void eventsAreListedNewestFirstThenByName() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(
                event(ada, "b", 200),
                event(ada, "c", 300),
                event(ada, "a", 200),
                event(ada, "z", 100),
                event(ada, "ab", 200)));

        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 10))
                .extracting(event -> event.createdAt() + ":" + event.name().value())
                .containsExactly("300:c", "200:a", "200:ab", "200:b", "100:z");
    }

    @Test
    public void minCreatedAtHidesOlderEventsAndKeepsTheBoundary() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "a", 99), event(ada, "a", 100), event(ada, "a", 101)));

        assertThat(store.listEvents(acme, ada.id(), 100, Optional.empty(), 10))
                .extracting(DataEvent::createdAt)
                .containsExactly(101L, 100L);
        assertThat(store.listEvents(acme, ada.id(), 102, Optional.empty(), 10)).isEmpty();
        assertThat(store.summaries(acme, ada.id())).containsExactly(summary("a", 3, 99, 101));
    }

    @Test
    public void limitCapsThePage() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "a", 1), event(ada, "a", 2), event(ada, "a", 3)));

        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 2))
                .extracting(DataEvent::createdAt)
                .containsExactly(3L, 2L);
        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 1))
                .extracting(DataEvent::createdAt)
                .containsExactly(3L);
    }

    @Test
    public void cursorContinuesStrictlyAfterItsPositionIncludingWithinTies() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "a", 200), event(ada, "b", 200), event(ada, "c", 200), event(ada, "a", 100)));

        List<DataEvent> afterA = store.listEvents(acme, ada.id(), 0, Optional.of(new EventCursor(200, name("a"))), 10);
        List<DataEvent> afterGap =
                store.listEvents(acme, ada.id(), 0, Optional.of(new EventCursor(200, name("bb"))), 10);
        List<DataEvent> afterNewer =
                store.listEvents(acme, ada.id(), 0, Optional.of(new EventCursor(150, name("a"))), 10);

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
        store.append(original);

        List<DataEvent> seen = new ArrayList<>();
        List<DataEvent> page = store.listEvents(acme, ada.id(), 0, Optional.empty(), 2);
        int newer = 1000;
        while (!page.isEmpty()) {
            seen.addAll(page);
            store.append(List.of(event(ada, "seen", newer++), event(ada, "aaa-newer", newer++)));
            page = store.listEvents(acme, ada.id(), 0, Optional.of(EventCursor.after(page.getLast())), 2);
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

        store.append(List.of(sent));

        DataEvent stored =
                store.listEvents(acme, ada.id(), 0, Optional.empty(), 1).getFirst();
        assertThat(stored).isEqualTo(sent);
        assertThat(stored.metadata().keys()).containsExactlyElementsOf(values.keySet());
    }

    @Test
    public void eventWithoutMetadataRoundTrips() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        DataEvent sent = event(ada, "opened", 0, Metadata.EMPTY);

        store.append(List.of(sent));

        assertThat(store.listEvents(acme, ada.id(), 0, Optional.empty(), 1)).containsExactly(sent);
        assertThat(store.summaries(acme, ada.id())).containsExactly(summary("opened", 1, 0, 0));
    }

    // ---- baselines

    @Test
    public void baselinesAreStoredByNameAndReplacedWhenPostedAgain() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.putBaselines(acme, ada.id(), List.of(summary("zeta", 5, 10, 20), summary("alpha", 2, 1, 2)));

        store.putBaselines(acme, ada.id(), List.of(summary("zeta", 7, 5, 30)));

        assertThat(store.baselines(acme, ada.id()))
                .containsExactly(summary("alpha", 2, 1, 2), summary("zeta", 7, 5, 30));
    }

    @Test
    public void baselinesDoNotChangeStoredSummaries() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = lead(acme, "c1");
        store.append(List.of(event(ada, "paid", 100)));

        store.putBaselines(acme, ada.id(), List.of(summary("paid", 9, 1, 1)));

        assertThat(store.summaries(acme, ada.id())).containsExactly(summary("paid", 1, 100, 100));
        assertThat(store.append(List.of(event(ada, "paid", 1))))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED);
    }

    // ---- workspace isolation

    @Test
    public void anotherWorkspacesContactsAndEventsAreInvisible() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact theirs = user(globex, "c1", "ext-1", "ada@example.com");
        store.append(List.of(event(theirs, "paid", 100, keys("amount"))));
        store.putBaselines(globex, theirs.id(), List.of(summary("paid", 3, 1, 2)));

        assertThat(store.findContact(acme, theirs.id())).isEmpty();
        assertThat(store.findContactByExternalId(acme, "ext-1")).isEmpty();
        assertThat(store.findContactsByEmail(acme, "ada@example.com")).isEmpty();
        assertThat(store.listContacts(acme, Optional.empty(), 10)).isEmpty();
        assertThat(store.listEvents(acme, theirs.id(), 0, Optional.empty(), 10)).isEmpty();
        assertThat(store.summaries(acme, theirs.id())).isEmpty();
        assertThat(store.baselines(acme, theirs.id())).isEmpty();
        assertThat(store.trackedKeys(acme, name("paid"))).isEmpty();
        assertThat(store.updateContact(withWorkspace(theirs, acme))).isFalse();
        assertThat(store.deleteContact(acme, theirs.id())).isFalse();
        assertThat(store.findContact(globex, theirs.id())).contains(theirs);
        assertThat(store.listEvents(globex, theirs.id(), 0, Optional.empty(), 10))
                .hasSize(1);
    }

    @Test
    public void sameContactIdInTwoWorkspacesNamesTwoContacts() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact ours = user(acme, "c1", "ext-1", "ada@example.com");
        Contact theirs = user(globex, "c1", "ext-1", "ada@example.com");
        store.append(List.of(event(ours, "paid", 100), event(theirs, "paid", 100), event(theirs, "paid", 200)));
        store.putBaselines(globex, theirs.id(), List.of(summary("paid", 3, 1, 2)));

        assertThat(store.summaries(acme, ours.id())).containsExactly(summary("paid", 1, 100, 100));
        assertThat(store.summaries(globex, theirs.id())).containsExactly(summary("paid", 2, 100, 200));
        assertThat(store.findContactsByEmail(acme, "ada@example.com")).containsExactly(ours);

        assertThat(store.deleteContact(globex, theirs.id())).isTrue();

        assertThat(store.findContact(acme, ours.id())).contains(ours);
        assertThat(store.findContactByExternalId(acme, "ext-1")).contains(ours);
        assertThat(store.listEvents(acme, ours.id(), 0, Optional.empty(), 10)).hasSize(1);
        assertThat(store.summaries(acme, ours.id())).containsExactly(summary("paid", 1, 100, 100));
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
                        stored += (int) store.append(batch).stream()
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
            assertThat(store.listEvents(acme, contact.id(), 0, Optional.empty(), ALL))
                    .hasSize(rounds);
            assertThat(store.summaries(acme, contact.id()))
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
                    return store.append(List.of(
                                    event(ada, "raced", createdAt, keys(prefix + "a", prefix + "b", prefix + "c"))))
                            .getFirst();
                }));
            }
            start.countDown();
        }

        List<String> tracked = store.trackedKeys(acme, name("raced"));
        assertThat(tracked).hasSize(10).doesNotHaveDuplicates();
        List<String> ignored = new ArrayList<>();
        for (Future<AppendResult> result : results) {
            ignored.addAll(result.get().ignoredKeys());
        }
        assertThat(ignored).hasSize(threads * 3 - 10).doesNotContainAnyElementsOf(tracked);
        for (DataEvent event : store.listEvents(acme, ada.id(), 0, Optional.empty(), ALL)) {
            assertThat(tracked).containsAll(event.metadata().keys());
        }
    }

    // ---- documents

    @Test
    public void documentIsFoundByKindAndIdAndReplacedWhenPutAgain() {
        Workspace acme = workspace("acme");
        store.putDocument(acme.id(), "bulk_job", "job_1", "{\"n\":1}");
        store.putDocument(acme.id(), "merged_contact", "job_1", "other kind");

        assertThat(store.findDocument(acme.id(), "bulk_job", "job_1")).contains("{\"n\":1}");
        store.putDocument(acme.id(), "bulk_job", "job_1", "{\"n\":2}");
        assertThat(store.findDocument(acme.id(), "bulk_job", "job_1")).contains("{\"n\":2}");
        assertThat(store.findDocument(acme.id(), "merged_contact", "job_1")).contains("other kind");
        assertThat(store.findDocument(acme.id(), "bulk_job", "job_2")).isEmpty();
    }

    @Test
    public void documentOfOneWorkspaceIsAbsentToAnother() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");
        store.putDocument(acme.id(), "bulk_job", "job_1", "{}");

        assertThat(store.findDocument(globex.id(), "bulk_job", "job_1")).isEmpty();
    }

    // ---- durability and operations

    @Test
    public void dataSurvivesCloseAndReopen() {
        Workspace acme = workspace("acme");
        AccessToken token = token(acme.id(), "secret-1");
        Contact ada = user(acme.id(), "c1", "ext-1", "ada@example.com");
        DataEvent paid = event(ada, "paid", 100, keys("k1", "k2"));
        store.append(List.of(paid));
        store.putBaselines(acme.id(), ada.id(), List.of(summary("paid", 2, 10, 20)));
        store.putDocument(acme.id(), "bulk_job", "job_1", "{\"tasks\":[]}");

        closeStore(store);
        storeClosed = true;
        Optional<TallyStore> reopened = reopen(store);
        assumeTrue(
                reopened.isPresent(),
                "this backend keeps nothing across close (reopen() returned empty), so there is no durability to test");
        store = reopened.orElseThrow();
        storeClosed = false;

        assertThat(store.findWorkspace(acme.id())).contains(acme);
        assertThat(store.findToken(token.hash())).contains(token);
        assertThat(store.listTokens(acme.id())).containsExactly(token);
        assertThat(store.findContactByExternalId(acme.id(), "ext-1")).contains(ada);
        assertThat(store.findContactsByEmail(acme.id(), "ada@example.com")).containsExactly(ada);
        assertThat(store.listEvents(acme.id(), ada.id(), 0, Optional.empty(), 10))
                .containsExactly(paid);
        assertThat(store.summaries(acme.id(), ada.id())).containsExactly(summary("paid", 1, 100, 100));
        assertThat(store.baselines(acme.id(), ada.id())).containsExactly(summary("paid", 2, 10, 20));
        assertThat(store.trackedKeys(acme.id(), name("paid"))).containsExactly("k1", "k2");
        assertThat(store.append(List.of(paid))).containsExactly(AppendResult.duplicate());
        assertThat(store.findDocument(acme.id(), "bulk_job", "job_1")).contains("{\"tasks\":[]}");
    }

    @Test
    public void openStorePassesHealthCheck() {
        assertThatCode(store::checkHealth).doesNotThrowAnyException();
    }

    // ---- fixtures

    protected final Workspace workspace(String id) {
        Workspace workspace = new Workspace(new WorkspaceId(id), "Workspace " + id, NOW, OptionalLong.empty());
        store.insertWorkspace(workspace);
        return workspace;
    }

    protected final AccessToken token(WorkspaceId workspaceId, String secret) {
        AccessToken token = new AccessToken(
                new TokenId("tok_" + secret),
                workspaceId,
                TokenHash.of(secret),
                Set.of(Scope.READ, Scope.WRITE),
                "token " + secret,
                NOW,
                Optional.empty());
        store.insertToken(token);
        return token;
    }

    protected static Contact contact(
            WorkspaceId workspaceId, String id, Optional<String> externalId, Optional<String> email) {
        return new Contact(
                new ContactId(id),
                workspaceId,
                externalId.isPresent() || email.isPresent() ? Role.USER : Role.LEAD,
                externalId,
                email,
                Optional.of("Contact " + id),
                NOW,
                NOW.plusMillis(1));
    }

    protected final Contact user(WorkspaceId workspaceId, String id, String externalId, String email) {
        Contact contact = contact(workspaceId, id, Optional.of(externalId), Optional.of(email));
        assertThat(store.insertContact(contact)).isTrue();
        return contact;
    }

    protected final Contact lead(WorkspaceId workspaceId, String id) {
        Contact contact = contact(workspaceId, id, Optional.empty(), Optional.empty());
        assertThat(store.insertContact(contact)).isTrue();
        return contact;
    }

    protected static DataEvent event(Contact contact, String name, long createdAt) {
        return event(contact, name, createdAt, Metadata.EMPTY);
    }

    protected static DataEvent event(Contact contact, String name, long createdAt, Metadata metadata) {
        return new DataEvent(EventId.random(), contact.workspaceId(), contact.id(), name(name), createdAt, metadata);
    }

    protected static EventName name(String name) {
        return EventName.of(name);
    }

    protected static EventSummary summary(String name, long count, long first, long last) {
        return new EventSummary(name(name), count, first, last);
    }

    /** String metadata from alternating keys and values, in order. */
    protected static Metadata metadata(String... keysAndValues) {
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], new StringValue(keysAndValues[i + 1]));
        }
        return new Metadata(values);
    }

    /** Metadata with the given keys, each valued with its own name. */
    protected static Metadata keys(String... keys) {
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        for (String key : keys) {
            values.put(key, new StringValue(key));
        }
        return new Metadata(values);
    }

    private static Contact withExternalId(Contact contact, Optional<String> externalId) {
        return new Contact(
                contact.id(),
                contact.workspaceId(),
                contact.role(),
                externalId,
                contact.email(),
                contact.name(),
                contact.createdAt(),
                contact.updatedAt().plusSeconds(1));
    }

    private static Contact withWorkspace(Contact contact, WorkspaceId workspaceId) {
        return new Contact(
                contact.id(),
                workspaceId,
                contact.role(),
                contact.externalId(),
                contact.email(),
                contact.name(),
                contact.createdAt(),
                contact.updatedAt());
    }
}
