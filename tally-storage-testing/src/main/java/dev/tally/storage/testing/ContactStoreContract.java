package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.AppendResult;
import dev.tally.event.AppendResult.Status;
import dev.tally.event.DataEvent;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every store does with contacts: lookups, unique external ids, updates, paging, deletion. */
public abstract class ContactStoreContract extends StoreContract {
    protected ContactStoreContract(TallyStoreContract suite) {
        super(suite);
    }

    // ---- contacts

    @Test
    public void insertedContactIsFoundByIdExternalIdAndEmail() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ada-ext", "ada@example.com");

        assertThat(store().findContact(acme, ada.id())).contains(ada);
        assertThat(store().findContactByExternalId(acme, "ada-ext")).contains(ada);
        assertThat(store().findContactsByEmail(acme, "ada@example.com")).containsExactly(ada);
    }

    @Test
    public void unknownContactIsAbsent() {
        WorkspaceId acme = workspace("acme").id();
        user(acme, "c1", "ada-ext", "ada@example.com");

        assertThat(store().findContact(acme, new ContactId("c2"))).isEmpty();
        assertThat(store().findContactByExternalId(acme, "bob-ext")).isEmpty();
        assertThat(store().findContactsByEmail(acme, "bob@example.com")).isEmpty();
    }

    @Test
    public void emailIsComparedExactly() {
        WorkspaceId acme = workspace("acme").id();
        user(acme, "c1", "ada-ext", "ada@example.com");

        assertThat(store().findContactsByEmail(acme, "Ada@example.com")).isEmpty();
        assertThat(store().findContactsByEmail(acme, "ada@example.co")).isEmpty();
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

        assertThat(store().insertContact(lead)).isTrue();

        assertThat(store().findContact(acme, lead.id())).contains(lead);
    }

    @Test
    public void secondContactWithSameExternalIdIsRejected() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact impostor = contact(acme, "c2", Optional.of("ext-1"), Optional.of("imp@example.com"));

        assertThat(store().insertContact(impostor)).isFalse();

        assertThat(store().findContact(acme, impostor.id())).isEmpty();
        assertThat(store().findContactByExternalId(acme, "ext-1")).contains(ada);
        assertThat(store().findContactsByEmail(acme, "imp@example.com")).isEmpty();
    }

    @Test
    public void sameExternalIdIsAllowedInAnotherWorkspace() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        Contact inAcme = user(acme, "c1", "ext-1", "ada@example.com");

        Contact inGlobex = contact(globex, "c2", Optional.of("ext-1"), Optional.of("ada@example.com"));
        assertThat(store().insertContact(inGlobex)).isTrue();

        assertThat(store().findContactByExternalId(acme, "ext-1")).contains(inAcme);
        assertThat(store().findContactByExternalId(globex, "ext-1")).contains(inGlobex);
    }

    @Test
    public void contactsSharingAnEmailAreAllFoundInIdOrder() {
        WorkspaceId acme = workspace("acme").id();
        Contact second = user(acme, "c2", "ext-2", "shared@example.com");
        Contact first = user(acme, "c1", "ext-1", "shared@example.com");
        user(acme, "c3", "ext-3", "other@example.com");
        Contact third = user(acme, "c4", "ext-4", "shared@example.com");

        assertThat(store().findContactsByEmail(acme, "shared@example.com")).containsExactly(first, second, third);
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

        assertThat(store().updateContact(renamed)).isTrue();

        assertThat(store().findContact(acme, ada.id())).contains(renamed);
        assertThat(store().findContactByExternalId(acme, "new-ext")).contains(renamed);
        assertThat(store().findContactByExternalId(acme, "old-ext")).isEmpty();
        assertThat(store().findContactsByEmail(acme, "new@example.com")).containsExactly(renamed);
        assertThat(store().findContactsByEmail(acme, "old@example.com")).isEmpty();
    }

    @Test
    public void updateContactFreesItsOldExternalIdForOthers() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "old-ext", "ada@example.com");
        store().updateContact(withExternalId(ada, Optional.of("new-ext")));

        Contact bob = contact(acme, "c2", Optional.of("old-ext"), Optional.empty());
        assertThat(store().insertContact(bob)).isTrue();

        assertThat(store().findContactByExternalId(acme, "old-ext")).contains(bob);
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

        assertThat(store().updateContact(named)).isTrue();

        assertThat(store().findContactByExternalId(acme, "ext-1")).contains(named);
    }

    @Test
    public void updateContactToAnotherContactsExternalIdIsRejected() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact bob = user(acme, "c2", "ext-2", "bob@example.com");

        assertThat(store().updateContact(withExternalId(bob, Optional.of("ext-1"))))
                .isFalse();

        assertThat(store().findContact(acme, bob.id())).contains(bob);
        assertThat(store().findContactByExternalId(acme, "ext-1")).contains(ada);
        assertThat(store().findContactByExternalId(acme, "ext-2")).contains(bob);
    }

    @Test
    public void updateContactCanDropTheExternalId() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact withoutExternalId = withExternalId(ada, Optional.empty());

        assertThat(store().updateContact(withoutExternalId)).isTrue();

        assertThat(store().findContact(acme, ada.id())).contains(withoutExternalId);
        assertThat(store().findContactByExternalId(acme, "ext-1")).isEmpty();
    }

    @Test
    public void updateOfUnknownContactReturnsFalseAndCreatesNothing() {
        WorkspaceId acme = workspace("acme").id();
        Contact ghost = contact(acme, "ghost", Optional.of("ghost-ext"), Optional.of("ghost@example.com"));

        assertThat(store().updateContact(ghost)).isFalse();

        assertThat(store().findContact(acme, ghost.id())).isEmpty();
        assertThat(store().findContactByExternalId(acme, "ghost-ext")).isEmpty();
        assertThat(store().findContactsByEmail(acme, "ghost@example.com")).isEmpty();
    }

    @Test
    public void listContactsPagesInIdOrderStrictlyAfterTheCursor() {
        WorkspaceId acme = workspace("acme").id();
        List<Contact> inIdOrder = new ArrayList<>();
        for (String id : List.of("c5", "c1", "c4", "c2", "c3")) {
            user(acme, id, "ext-" + id, id + "@example.com");
        }
        for (String id : List.of("c1", "c2", "c3", "c4", "c5")) {
            inIdOrder.add(store().findContact(acme, new ContactId(id)).orElseThrow());
        }

        List<Contact> first = store().listContacts(acme, Optional.empty(), 2);
        List<Contact> second =
                store().listContacts(acme, Optional.of(first.get(1).id()), 2);
        List<Contact> third =
                store().listContacts(acme, Optional.of(second.get(1).id()), 2);

        assertThat(first).containsExactlyElementsOf(inIdOrder.subList(0, 2));
        assertThat(second).containsExactlyElementsOf(inIdOrder.subList(2, 4));
        assertThat(third).containsExactlyElementsOf(inIdOrder.subList(4, 5));
        assertThat(store().listContacts(acme, Optional.of(new ContactId("c5")), 2))
                .isEmpty();
        assertThat(store().listContacts(acme, Optional.of(new ContactId("c25")), 10))
                .extracting(Contact::id)
                .containsExactly(new ContactId("c3"), new ContactId("c4"), new ContactId("c5"));
    }

    @Test
    public void countIsTheWorkspacesOwnContactsAndFollowsInsertsAndDeletes() {
        WorkspaceId acme = workspace("acme").id();
        WorkspaceId globex = workspace("globex").id();
        assertThat(store().countContacts(acme)).isZero();

        user(acme, "c1", "ext-c1", "c1@example.com");
        lead(acme, "c2");
        lead(acme, "c10");
        user(globex, "c1", "ext-c1", "c1@example.com");

        assertThat(store().countContacts(acme)).isEqualTo(3);
        assertThat(store().countContacts(globex)).isEqualTo(1);

        assertThat(store().deleteContact(acme, new ContactId("c2"))).isTrue();

        assertThat(store().countContacts(acme)).isEqualTo(2);
        assertThat(store().countContacts(new WorkspaceId("initech"))).isZero();
    }

    @Test
    public void contactIdsThatArePrefixesOfOthersStayApart() {
        WorkspaceId acme = workspace("acme").id();
        Contact shortId = lead(acme, "c1");
        Contact longId = lead(acme, "c10");
        store().append(List.of(event(shortId, "signed-up", 100), event(longId, "signed-up", 200)));

        assertThat(store().listContacts(acme, Optional.empty(), 10)).containsExactly(shortId, longId);
        assertThat(store().listEvents(acme, shortId.id(), 0, Optional.empty(), 10))
                .extracting(DataEvent::createdAt)
                .containsExactly(100L);
        assertThat(store().summaries(acme, shortId.id())).containsExactly(summary("signed-up", 1, 100, 100));

        assertThat(store().deleteContact(acme, shortId.id())).isTrue();

        assertThat(store().listEvents(acme, longId.id(), 0, Optional.empty(), 10))
                .extracting(DataEvent::createdAt)
                .containsExactly(200L);
        assertThat(store().summaries(acme, longId.id())).containsExactly(summary("signed-up", 1, 200, 200));
    }

    @Test
    public void deleteContactErasesItsEventsSummariesAndBaselines() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        Contact bob = user(acme, "c2", "ext-2", "bob@example.com");
        store().append(List.of(event(ada, "paid", 100), event(bob, "paid", 100)));
        store().putBaselines(acme, ada.id(), List.of(summary("paid", 3, 10, 20)));

        assertThat(store().deleteContact(acme, ada.id())).isTrue();

        assertThat(store().findContact(acme, ada.id())).isEmpty();
        assertThat(store().findContactsByEmail(acme, "ada@example.com")).isEmpty();
        assertThat(store().listContacts(acme, Optional.empty(), 10)).containsExactly(bob);
        assertThat(store().listEvents(acme, ada.id(), 0, Optional.empty(), 10)).isEmpty();
        assertThat(store().summaries(acme, ada.id())).isEmpty();
        assertThat(store().baselines(acme, ada.id())).isEmpty();
        assertThat(store().listEvents(acme, bob.id(), 0, Optional.empty(), 10)).hasSize(1);
    }

    @Test
    public void deletedContactsEventsAreNotDuplicatesOfNewOnes() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        store().append(List.of(event(ada, "paid", 100)));
        store().deleteContact(acme, ada.id());
        store().insertContact(ada);

        assertThat(store().append(List.of(event(ada, "paid", 100))))
                .extracting(AppendResult::status)
                .containsExactly(Status.STORED);
        assertThat(store().summaries(acme, ada.id())).containsExactly(summary("paid", 1, 100, 100));
    }

    @Test
    public void deleteContactFreesItsExternalId() {
        WorkspaceId acme = workspace("acme").id();
        Contact ada = user(acme, "c1", "ext-1", "ada@example.com");
        store().deleteContact(acme, ada.id());

        Contact successor = contact(acme, "c2", Optional.of("ext-1"), Optional.empty());
        assertThat(store().insertContact(successor)).isTrue();

        assertThat(store().findContactByExternalId(acme, "ext-1")).contains(successor);
    }

    @Test
    public void deleteOfUnknownContactReturnsFalse() {
        WorkspaceId acme = workspace("acme").id();

        assertThat(store().deleteContact(acme, new ContactId("ghost"))).isFalse();
    }
}
