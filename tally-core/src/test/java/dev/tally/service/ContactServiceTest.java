package dev.tally.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactId;
import dev.tally.contact.ContactRef;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ContactServiceTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");
    private static final WorkspaceId OTHER_WORKSPACE = new WorkspaceId("w2");

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final ContactService contacts = new ContactService(store, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void createdUserHasAnIdAndTheTimeOfCreation() {
        Contact user = contacts.create(WORKSPACE, user("314159", "x@example.com"));

        assertThat(user.id().value()).matches("[0-9a-f]{24}");
        assertThat(user.role()).isEqualTo(Role.USER);
        assertThat(user.externalId()).contains("314159");
        assertThat(user.email()).contains("x@example.com");
        assertThat(user.createdAt()).isEqualTo(NOW);
        assertThat(user.updatedAt()).isEqualTo(NOW);
        assertThat(contacts.get(WORKSPACE, user.id())).isEqualTo(user);
    }

    @Test
    void userNeedsAnExternalIdOrAnEmail() {
        TallyError error = failure(() -> contacts.create(
                WORKSPACE, new ContactDraft(Role.USER, Optional.empty(), Optional.empty(), Optional.of("Ann"))));

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_NOT_FOUND);
        assertThat(error.field()).contains("external_id");
        assertThat(contacts.create(WORKSPACE, user(null, "x@example.com")).email())
                .contains("x@example.com");
        assertThat(contacts.create(WORKSPACE, user("1", null)).externalId()).contains("1");
    }

    @Test
    void leadNeedsNoIdentifier() {
        Contact lead = contacts.create(WORKSPACE, lead());

        assertThat(contacts.get(WORKSPACE, lead.id()).role()).isEqualTo(Role.LEAD);
    }

    @Test
    void duplicateExternalIdIsAConflict() {
        contacts.create(WORKSPACE, user("314159", null));

        TallyError error = failure(() -> contacts.create(WORKSPACE, user("314159", "other@example.com")));

        assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(error.code().httpStatus()).isEqualTo(409);
        assertThat(error.field()).contains("external_id");
        assertThat(error.message()).contains("314159");
    }

    @Test
    void sameExternalIdInAnotherWorkspaceIsAnotherContact() {
        Contact here = contacts.create(WORKSPACE, user("314159", null));
        Contact there = contacts.create(OTHER_WORKSPACE, user("314159", null));

        assertThat(there.id()).isNotEqualTo(here.id());
        assertThat(contacts.resolve(OTHER_WORKSPACE, new ContactRef.ByExternalId("314159")))
                .isEqualTo(there);
    }

    @Test
    void userResolvesByIdByUserIdAndByEmail() {
        Contact user = contacts.create(WORKSPACE, user("314159", "x@example.com"));

        assertThat(contacts.resolve(WORKSPACE, new ContactRef.ById(user.id()))).isEqualTo(user);
        assertThat(contacts.resolve(WORKSPACE, new ContactRef.ByExternalId("314159")))
                .isEqualTo(user);
        assertThat(contacts.resolve(WORKSPACE, new ContactRef.ByEmail("x@example.com")))
                .isEqualTo(user);
    }

    @Test
    void leadResolvesByIdOnly() {
        Contact lead = contacts.create(
                WORKSPACE,
                new ContactDraft(Role.LEAD, Optional.of("lead-7"), Optional.of("lead@example.com"), Optional.empty()));

        assertThat(contacts.resolve(WORKSPACE, new ContactRef.ById(lead.id()))).isEqualTo(lead);
        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByExternalId("lead-7"))))
                .isEqualTo(TallyError.of(ErrorCode.NOT_FOUND, "No such user_id[lead-7]", "user_id"));
        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByEmail("lead@example.com")))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(() -> contacts.getUserByExternalId(WORKSPACE, "lead-7"))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void emailSharedByTwoUsersIsAConflict() {
        contacts.create(WORKSPACE, user("1", "shared@example.com"));
        contacts.create(WORKSPACE, user("2", "shared@example.com"));

        TallyError error = failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByEmail("shared@example.com")));

        assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(error.field()).contains("email");
    }

    @Test
    void emailSharedByAUserAndALeadNamesTheUser() {
        Contact user = contacts.create(WORKSPACE, user("1", "shared@example.com"));
        contacts.create(
                WORKSPACE,
                new ContactDraft(Role.LEAD, Optional.empty(), Optional.of("shared@example.com"), Optional.empty()));

        assertThat(contacts.resolve(WORKSPACE, new ContactRef.ByEmail("shared@example.com")))
                .isEqualTo(user);
    }

    @Test
    void unknownUserIdIsNotFoundInIntercomsWords() {
        TallyError error = failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByExternalId("314159")));

        assertThat(error).isEqualTo(TallyError.of(ErrorCode.NOT_FOUND, "No such user_id[314159]", "user_id"));
        assertThat(error.code().httpStatus()).isEqualTo(404);
    }

    @Test
    void unknownIdAndEmailAreNotFoundNamingTheirField() {
        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ById(new ContactId("abc")))))
                .isEqualTo(TallyError.of(ErrorCode.NOT_FOUND, "No such id[abc]", "id"));
        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByEmail("x@example.com"))))
                .isEqualTo(TallyError.of(ErrorCode.NOT_FOUND, "No such email[x@example.com]", "email"));
    }

    @Test
    void contactOfAnotherWorkspaceIsNotFound() {
        Contact user = contacts.create(OTHER_WORKSPACE, user("314159", "x@example.com"));

        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ById(user.id())))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByExternalId("314159")))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByEmail("x@example.com")))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void veryLongUnknownValueIsShortenedInTheMessage() {
        String longId = "9".repeat(200);

        TallyError error = failure(() -> contacts.resolve(WORKSPACE, new ContactRef.ByExternalId(longId)));

        assertThat(error.message())
                .startsWith("No such user_id[" + "9".repeat(64))
                .doesNotContain(longId);
    }

    @Test
    void deletedContactIsGoneAndDeletingAgainIsNotFound() {
        Contact user = contacts.create(WORKSPACE, user("314159", null));

        contacts.delete(WORKSPACE, user.id());

        assertThat(failure(() -> contacts.get(WORKSPACE, user.id())).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(() -> contacts.delete(WORKSPACE, user.id())).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(contacts.create(WORKSPACE, user("314159", null)).externalId())
                .contains("314159");
    }

    private static ContactDraft user(String externalId, String email) {
        return new ContactDraft(
                Role.USER, Optional.ofNullable(externalId), Optional.ofNullable(email), Optional.empty());
    }

    private static ContactDraft lead() {
        return new ContactDraft(Role.LEAD, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static TallyError failure(ThrowingCallable call) {
        TallyException thrown = catchThrowableOfType(TallyException.class, call);
        assertThat(thrown).as("expected a TallyException").isNotNull();
        assertThat(thrown.errors()).hasSize(1);
        return thrown.errors().get(0);
    }
}
