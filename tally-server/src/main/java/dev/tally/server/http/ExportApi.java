package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.ContactRef;
import dev.tally.error.TallyException;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.json.TallyJson;
import dev.tally.metadata.MetadataJson;
import dev.tally.service.ContactService;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.WorkspaceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /events/export} (a Tally extension): a workspace's events as NDJSON in exactly the shape
 * {@code POST /events} and the batch endpoint take, so {@code tally import} reads it back unchanged.
 * All history, not just 90 days. Optionally one contact and a {@code from}/{@code to} range of
 * {@code created_at}. Pages of at most {@code limit} events; {@code X-Tally-Next-Cursor} continues.
 */
public final class ExportApi {
    public static final String NEXT_CURSOR_HEADER = "X-Tally-Next-Cursor";
    static final int DEFAULT_LIMIT = 5000;
    static final int MAX_LIMIT = 20000;
    private static final int CONTACTS_PER_SCAN = 100;

    private final TallyStore store;
    private final ContactService contacts;

    public ExportApi(TallyStore store, ContactService contacts) {
        this.store = requireNonNull(store, "store is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/events/export", Access.READ, this::export));
    }

    /** Where a page stopped: the contact being read and the position within its events. */
    record Position(ContactId contact, Optional<EventCursor> after) {
        String encode() {
            String plain =
                    contact.value() + "|" + after.map(EventCursor::encode).orElse("");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String token) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int bar = plain.indexOf('|');
                String eventPart = plain.substring(bar + 1);
                Optional<EventCursor> after = eventPart.isEmpty() ? Optional.empty() : EventCursor.decode(eventPart);
                if (bar <= 0 || (!eventPart.isEmpty() && after.isEmpty())) {
                    throw new IllegalArgumentException("bad cursor");
                }
                return new Position(new ContactId(plain.substring(0, bar)), after);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw TallyException.invalid("cursor", "cursor is not one Tally issued");
            }
        }
    }

    ApiResponse export(ApiRequest request) {
        WorkspaceId workspace = request.workspaceId();
        long to = longParameter(request, "to", Long.MAX_VALUE);
        int limit = (int) longParameter(request, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw TallyException.invalid("limit", "limit must be 1-" + MAX_LIMIT);
        }
        Page page = new Page(workspace, longParameter(request, "from", 0), to, limit);
        Optional<Contact> only = onlyContact(request, workspace);
        Optional<Position> resume = request.queryParameter("cursor").map(Position::decode);

        Optional<ContactId> after = Optional.empty();
        if (resume.isPresent()) {
            Optional<Contact> current =
                    store.findContact(workspace, resume.get().contact());
            if (current.isPresent() && !page.add(current.get(), resume.get().after())) {
                return page.response();
            }
            after = Optional.of(resume.get().contact());
        }
        if (only.isPresent()) {
            if (resume.isEmpty()) {
                page.add(only.get(), Optional.empty());
            }
            return page.response();
        }
        while (true) {
            List<Contact> batch = store.listContacts(workspace, after, CONTACTS_PER_SCAN);
            for (Contact contact : batch) {
                if (!page.add(contact, Optional.empty())) {
                    return page.response();
                }
                after = Optional.of(contact.id());
            }
            if (batch.size() < CONTACTS_PER_SCAN) {
                return page.response();
            }
        }
    }

    /** One answer being filled: NDJSON lines up to the limit, then where to continue. */
    private final class Page {
        private static final int EVENTS_PER_READ = 1000;
        private final WorkspaceId workspace;
        private final long from;
        private final long to;
        private final int limit;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int written;
        private Optional<Position> next = Optional.empty();

        Page(WorkspaceId workspace, long from, long to, int limit) {
            this.workspace = workspace;
            this.from = from;
            this.to = to;
            this.limit = limit;
        }

        /** Writes a contact's events after {@code cursor}; false when the page filled first. */
        boolean add(Contact contact, Optional<EventCursor> cursor) {
            while (true) {
                List<DataEvent> events = store.listEvents(workspace, contact.id(), from, cursor, EVENTS_PER_READ);
                for (DataEvent event : events) {
                    if (event.createdAt() > to) {
                        cursor = Optional.of(EventCursor.after(event));
                        continue;
                    }
                    if (written == limit) {
                        next = Optional.of(new Position(contact.id(), cursor));
                        return false;
                    }
                    writeLine(body, contact, event);
                    written++;
                    cursor = Optional.of(EventCursor.after(event));
                }
                if (events.size() < EVENTS_PER_READ) {
                    return true;
                }
            }
        }

        ApiResponse response() {
            ApiResponse response =
                    new ApiResponse(200, Map.of("Content-Type", "application/x-ndjson"), body.toByteArray());
            return next.map(position -> response.withHeader(NEXT_CURSOR_HEADER, position.encode()))
                    .orElse(response);
        }
    }

    private Optional<Contact> onlyContact(ApiRequest request, WorkspaceId workspace) {
        Optional<String> userId = request.queryParameter("user_id");
        Optional<String> contactId = request.queryParameter("intercom_user_id");
        if (userId.isPresent() && contactId.isPresent()) {
            throw TallyException.invalid("user_id", "give user_id or intercom_user_id, not both");
        }
        if (userId.isPresent()) {
            return Optional.of(contacts.resolve(workspace, new ContactRef.ByExternalId(userId.get())));
        }
        return contactId.map(id -> contacts.get(workspace, new ContactId(id)));
    }

    /** One line in the shape POST /events takes: the contact by user_id, else email, else id (leads). */
    private static void writeLine(ByteArrayOutputStream body, Contact contact, DataEvent event) {
        try (JsonGenerator out = TallyJson.mapper().getFactory().createGenerator(body)) {
            out.writeStartObject();
            out.writeStringField("event_name", event.name().value());
            out.writeNumberField("created_at", event.createdAt());
            if (contact.externalId().isPresent()) {
                out.writeStringField("user_id", contact.externalId().get());
            } else if (contact.email().isPresent() && contact.role() == dev.tally.contact.Role.USER) {
                out.writeStringField("email", contact.email().get());
            } else {
                out.writeStringField("id", contact.id().value());
            }
            out.writeFieldName("metadata");
            MetadataJson.write(out, event.metadata());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.write('\n');
    }

    private static long longParameter(ApiRequest request, String name, long fallback) {
        Optional<String> raw = request.queryParameter(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < 0) {
                throw TallyException.invalid(name, name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw TallyException.invalid(name, name + " must be a whole number (unix seconds for from/to)");
        }
    }
}
