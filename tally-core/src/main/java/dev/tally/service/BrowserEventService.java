package dev.tally.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.event.AppendResult;
import dev.tally.event.EventName;
import dev.tally.event.EventOutcome;
import dev.tally.event.EventSubmission;
import dev.tally.event.EventSubmissionParser;
import dev.tally.json.TallyJson;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Events from web pages (Intercom's JavaScript {@code trackEvent}), sent by Tally's widget script.
 *
 * <p><b>Who the events belong to.</b> A call that names a user ({@code user_id}, else {@code email})
 * must carry {@code user_hash}, the hex HMAC-SHA256 of that identifier keyed with the workspace's
 * identity-verification secret, when the workspace enforces identity verification; a wrong hash is
 * refused even where it is not enforced. The hash is checked before any contact is looked up, and a
 * verified user that does not exist yet is created (as Intercom's Messenger does on boot), so no
 * answer says whether a user exists. A call that names no user belongs to the browser's visitor id:
 * its lead is created on the visitor's first call, with the visitor id as its {@code external_id}
 * (Intercom gave leads a generated {@code user_id} too); the store's uniqueness of external ids makes
 * two first calls racing on two nodes find one lead. When a verified user arrives with a visitor id
 * whose lead exists, the lead is merged into the user by {@link ContactMergeService}, so its events
 * move to the user.
 *
 * <p><b>When they happened.</b> Browsers send no {@code created_at}: the server stamps a batch with
 * the second it first received it. The script retries a batch it got no answer for with the same
 * batch id, so the stamp must not change on a retry, or a retried event would be stored twice: the
 * stamp is kept in a small document per batch id, written before the events are appended. Two real
 * events of the same name in the same second would be one event under Intercom's de-duplication
 * rule (contact, name, created_at): within a batch the n-th repeat of a name is stamped n seconds
 * later, and an event that collides with one stored by another batch is moved to the next free
 * second (the moves are recorded in the batch's document, so a retry finds them again).
 *
 * <p>Every event is validated by the same {@link EventSubmissionParser} and stored through the same
 * {@link EventService} as {@code POST /events}.
 */
public final class BrowserEventService {
    /** Most events in one browser batch; the script sends at most this many. */
    public static final int MAX_EVENTS = 100;

    /** How many later seconds an event that collides with another batch's is tried at. */
    private static final int MAX_SECONDS_MOVED = 60;

    private static final String BATCH_KIND = "browser_batch";
    private static final int LOCK_STRIPES = 64;

    private final TallyStore store;
    private final ContactService contacts;
    private final ContactMergeService merges;
    private final EventService events;
    private final EventSubmissionParser parser;
    private final Clock clock;
    /** The same batch arriving twice at once (a retry racing the original) is taken in turn. */
    private final ReentrantLock[] batchLocks = new ReentrantLock[LOCK_STRIPES];

    public BrowserEventService(
            TallyStore store,
            ContactService contacts,
            ContactMergeService merges,
            EventService events,
            EventSubmissionParser parser,
            Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
        this.merges = requireNonNull(merges, "merges is null");
        this.events = requireNonNull(events, "events is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.clock = requireNonNull(clock, "clock is null");
        for (int i = 0; i < LOCK_STRIPES; i++) {
            batchLocks[i] = new ReentrantLock();
        }
    }

    /** Who a browser says it is: its visitor id, and the user the page booted, if any. */
    public record Identity(
            Optional<String> visitorId,
            Optional<String> userId,
            Optional<String> email,
            Optional<String> name,
            Optional<String> userHash) {
        public Identity {
            requireNonNull(visitorId, "visitorId is null");
            requireNonNull(userId, "userId is null");
            requireNonNull(email, "email is null");
            requireNonNull(name, "name is null");
            requireNonNull(userHash, "userHash is null");
        }

        boolean namesUser() {
            return userId.isPresent() || email.isPresent();
        }
    }

    /** One request of the widget: a batch id (stable across retries), who, and the events as sent. */
    public record Batch(String batchId, Identity identity, List<JsonNode> events) {
        public Batch {
            requireNonNull(batchId, "batchId is null");
            requireNonNull(identity, "identity is null");
            events = List.copyOf(events);
            if (events.size() > MAX_EVENTS) {
                throw TallyException.invalid(
                        "events", "a browser batch carries at most " + MAX_EVENTS + " events, got " + events.size());
            }
        }
    }

    /**
     * Resolves (creating if needed) the batch's contact, merges the visitor's lead into a verified
     * user, and stores the events: one outcome per event, in order. A batch without events only
     * identifies (what the widget sends on boot).
     */
    public List<EventOutcome> submit(Workspace workspace, Batch batch) {
        if (batch.events().isEmpty() && !batch.identity().namesUser()) {
            return List.of(); // a lead is made by a visitor's first event, not before
        }
        Contact contact = contact(workspace, batch.identity());
        if (batch.events().isEmpty()) {
            return List.of();
        }
        ReentrantLock lock = batchLocks[Math.floorMod(batch.batchId().hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return store(workspace.id(), contact, batch);
        } finally {
            lock.unlock();
        }
    }

    // ---- identity

    private Contact contact(Workspace workspace, Identity identity) {
        if (identity.namesUser()) {
            verify(workspace, identity);
            Contact user = findOrCreateUser(workspace.id(), identity);
            identity.visitorId().ifPresent(visitorId -> mergeVisitor(workspace.id(), visitorId, user));
            return user;
        }
        String visitorId = identity.visitorId()
                .orElseThrow(() -> TallyException.missing(
                        "visitor_id", "a browser call names a user (user_id or email) or carries a visitor_id"));
        return findOrCreateLead(workspace.id(), visitorId);
    }

    private static void verify(Workspace workspace, Identity identity) {
        String field = identity.userId().isPresent() ? "user_id" : "email";
        String subject = identity.userId().or(identity::email).orElseThrow();
        if (identity.userHash().isEmpty()) {
            if (workspace.browser().enforceIdentityVerification()) {
                throw new TallyException(
                        ErrorCode.UNAUTHORIZED,
                        "identity verification is enforced for this app: boot with user_hash, the hex HMAC-SHA256 of "
                                + field + " keyed with the workspace's identity-verification secret",
                        "user_hash");
            }
            return;
        }
        if (!workspace
                .browser()
                .identitySecret()
                .verifies(subject, identity.userHash().get())) {
            throw new TallyException(
                    ErrorCode.UNAUTHORIZED,
                    "user_hash does not match " + field + ": it must be the hex HMAC-SHA256 of " + field
                            + " keyed with the workspace's identity-verification secret",
                    "user_hash");
        }
    }

    private Contact findOrCreateUser(WorkspaceId workspaceId, Identity identity) {
        if (identity.userId().isPresent()) {
            String userId = identity.userId().get();
            Optional<Contact> existing = contacts.findByExternalId(workspaceId, userId);
            if (existing.isEmpty()) {
                existing = create(
                        workspaceId,
                        new ContactDraft(Role.USER, identity.userId(), identity.email(), identity.name()),
                        () -> contacts.findByExternalId(workspaceId, userId));
            }
            Contact user = existing.get();
            if (user.role() != Role.USER) {
                throw new TallyException(
                        ErrorCode.CONFLICT, "user_id is a visitor's id; a user needs an id of its own", "user_id");
            }
            return user;
        }
        String email = identity.email().orElseThrow();
        List<Contact> users = users(workspaceId, email);
        if (users.size() > 1) {
            throw new TallyException(
                    ErrorCode.CONFLICT, "several users share this email; boot with user_id instead", "email");
        }
        if (users.size() == 1) {
            return users.get(0);
        }
        return create(
                        workspaceId,
                        new ContactDraft(Role.USER, Optional.empty(), identity.email(), identity.name()),
                        () -> users(workspaceId, email).stream().findFirst())
                .orElseThrow();
    }

    private List<Contact> users(WorkspaceId workspaceId, String email) {
        return contacts.findByEmail(workspaceId, email).stream()
                .filter(contact -> contact.role() == Role.USER)
                .toList();
    }

    private Contact findOrCreateLead(WorkspaceId workspaceId, String visitorId) {
        Optional<Contact> existing = contacts.findByExternalId(workspaceId, visitorId);
        if (existing.isEmpty()) {
            existing = create(
                    workspaceId,
                    new ContactDraft(Role.LEAD, Optional.of(visitorId), Optional.empty(), Optional.empty()),
                    () -> contacts.findByExternalId(workspaceId, visitorId));
        }
        Contact lead = existing.get();
        if (lead.role() != Role.LEAD) {
            throw new TallyException(
                    ErrorCode.CONFLICT, "visitor_id is a user's id; start a new visitor id", "visitor_id");
        }
        return lead;
    }

    /** Creates a contact; when another request created it first (same external id), finds that one. */
    private Optional<Contact> create(
            WorkspaceId workspaceId,
            ContactDraft draft,
            java.util.function.Supplier<Optional<Contact>> createdMeanwhile) {
        try {
            return Optional.of(contacts.create(workspaceId, draft));
        } catch (TallyException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            return Optional.of(createdMeanwhile.get().orElseThrow(() -> e));
        }
    }

    private void mergeVisitor(WorkspaceId workspaceId, String visitorId, Contact user) {
        Optional<Contact> lead =
                contacts.findByExternalId(workspaceId, visitorId).filter(contact -> contact.role() == Role.LEAD);
        if (lead.isEmpty()) {
            return;
        }
        try {
            merges.merge(workspaceId, lead.get().id(), user.id());
        } catch (TallyException e) {
            // Another request merged the same lead a moment earlier; its events have moved.
            if (e.code() != ErrorCode.CONFLICT
                    && e.code() != ErrorCode.NOT_FOUND
                    && e.code() != ErrorCode.CONTACT_MERGED) {
                throw e;
            }
        }
    }

    // ---- events

    private List<EventOutcome> store(WorkspaceId workspaceId, Contact contact, Batch batch) {
        Instant now = clock.instant();
        Optional<Stamps> recorded =
                store.findDocument(workspaceId, BATCH_KIND, batch.batchId()).map(BrowserEventService::readStamps);
        boolean retry = recorded.isPresent();
        Stamps stamps = recorded.orElseGet(() -> new Stamps(now.getEpochSecond(), Map.of()));
        if (!retry) {
            store.putDocument(workspaceId, BATCH_KIND, batch.batchId(), writeStamps(stamps));
        }

        EventOutcome[] outcomes = new EventOutcome[batch.events().size()];
        List<EventSubmission> valid = new ArrayList<>();
        List<Integer> validAt = new ArrayList<>();
        Map<EventName, Integer> repeats = new HashMap<>();
        for (int i = 0; i < batch.events().size(); i++) {
            try {
                EventSubmission parsed =
                        parser.parse(asEvent(batch.events().get(i), contact, stamps.base()), now, Optional.empty());
                int repeat = repeats.merge(parsed.name(), 1, Integer::sum) - 1;
                long createdAt = stamps.moved().getOrDefault(i, stamps.base() + repeat);
                valid.add(new EventSubmission(
                        parsed.name(), createdAt, parsed.contact(), parsed.metadata(), parsed.keysOverLimit()));
                validAt.add(i);
            } catch (TallyException e) {
                outcomes[i] = new EventOutcome.Rejected(e.errors());
            }
        }
        List<EventOutcome> stored = events.submitAll(workspaceId, valid);
        Map<Integer, Long> moved = new HashMap<>();
        for (int j = 0; j < stored.size(); j++) {
            EventOutcome outcome = stored.get(j);
            int index = validAt.get(j);
            if (!retry && isDuplicate(outcome)) {
                // A new batch cannot be its own duplicate: another batch's event holds this second.
                EventSubmission event = valid.get(j);
                for (int later = 1; later <= MAX_SECONDS_MOVED && isDuplicate(outcome); later++) {
                    long createdAt = event.createdAt() + later;
                    outcome = events.submitAll(
                                    workspaceId,
                                    List.of(new EventSubmission(
                                            event.name(),
                                            createdAt,
                                            event.contact(),
                                            event.metadata(),
                                            event.keysOverLimit())))
                            .get(0);
                    moved.put(index, createdAt);
                }
            }
            outcomes[index] = outcome;
        }
        if (!moved.isEmpty()) {
            store.putDocument(workspaceId, BATCH_KIND, batch.batchId(), writeStamps(new Stamps(stamps.base(), moved)));
        }
        return List.of(outcomes);
    }

    private static boolean isDuplicate(EventOutcome outcome) {
        return outcome instanceof EventOutcome.Accepted accepted && accepted.status() == AppendResult.Status.DUPLICATE;
    }

    /**
     * The event as {@code POST /events} would receive it: the widget's {@code event_name} and
     * {@code metadata}, with the contact and the stamp set here (anything else the page sent about
     * who or when is ignored, never trusted).
     */
    private static JsonNode asEvent(JsonNode sent, Contact contact, long createdAt) {
        if (sent == null || !sent.isObject()) {
            throw TallyException.invalid("events", "each event is a JSON object with event_name and metadata");
        }
        ObjectNode event = TallyJson.mapper().createObjectNode();
        if (sent.has("event_name")) {
            event.set("event_name", sent.get("event_name"));
        }
        if (sent.has("metadata")) {
            event.set("metadata", sent.get("metadata"));
        }
        event.put("id", contact.id().value());
        event.put("created_at", createdAt);
        return event;
    }

    /** A batch's stamp, and the events moved off it because another batch held their second. */
    private record Stamps(long base, Map<Integer, Long> moved) {}

    private static String writeStamps(Stamps stamps) {
        ObjectNode json = TallyJson.mapper().createObjectNode();
        json.put("created_at", stamps.base());
        ObjectNode moved = json.putObject("moved");
        stamps.moved().forEach((index, createdAt) -> moved.put(Integer.toString(index), createdAt));
        return json.toString();
    }

    private static Stamps readStamps(String json) {
        try {
            JsonNode node = TallyJson.mapper().readTree(json);
            Map<Integer, Long> moved = new HashMap<>();
            node.path("moved")
                    .properties()
                    .forEach(entry -> moved.put(
                            Integer.parseInt(entry.getKey()), entry.getValue().longValue()));
            return new Stamps(node.get("created_at").longValue(), moved);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored browser batch is not JSON", e);
        }
    }
}
