package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventPage;
import dev.tally.server.http.WireJson;
import dev.tally.service.ContactService;
import dev.tally.service.EventService;
import dev.tally.service.OverviewService;
import dev.tally.service.WorkspaceService;
import dev.tally.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signed-in pages. Each is thin: read its parameters, call the services the JSON API calls,
 * and hand a model to its template.
 */
final class Pages {
    static final int CONTACTS_PER_PAGE = 50;
    static final int EVENTS_PER_PAGE = 25;

    private final Templates templates;
    private final WorkspaceService workspaces;
    private final ContactService contacts;
    private final EventService events;
    private final OverviewService overviews;

    Pages(
            Templates templates,
            WorkspaceService workspaces,
            ContactService contacts,
            EventService events,
            OverviewService overviews) {
        this.templates = requireNonNull(templates, "templates is null");
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
        this.events = requireNonNull(events, "events is null");
        this.overviews = requireNonNull(overviews, "overviews is null");
    }

    WebResponse overview(WebRequest request) {
        Session session = request.requireSession();
        int days = request.queryParameter("days")
                .map(Pages::days)
                .filter(OverviewService.RANGES::contains)
                .orElse(30);
        var overview = overviews.overview(session.workspaceId(), days);
        String chartJson = new String(WireJson.overview(overview), StandardCharsets.UTF_8);
        return templates.page(
                "overview.jte",
                new Views.OverviewPage(chrome(session, "Overview", "overview"), days, overview, chartJson));
    }

    WebResponse contacts(WebRequest request) {
        Session session = request.requireSession();
        Chrome chrome = chrome(session, "Contacts", "contacts");
        String query = request.queryParameter("q").map(String::strip).orElse("");
        if (!query.isEmpty()) {
            List<Contact> found = new ArrayList<>();
            contacts.findByExternalId(session.workspaceId(), query).ifPresent(found::add);
            contacts.findByEmail(session.workspaceId(), query).stream()
                    .filter(contact -> !found.contains(contact))
                    .forEach(found::add);
            return templates.page("contacts.jte", new Views.ContactsPage(chrome, query, true, found, Optional.empty()));
        }
        Optional<ContactId> after = request.queryParameter("after").map(ContactId::new);
        List<Contact> page = contacts.list(session.workspaceId(), after, CONTACTS_PER_PAGE + 1);
        Optional<String> next = Optional.empty();
        if (page.size() > CONTACTS_PER_PAGE) {
            page = page.subList(0, CONTACTS_PER_PAGE);
            next = Optional.of(page.get(CONTACTS_PER_PAGE - 1).id().value());
        }
        return templates.page("contacts.jte", new Views.ContactsPage(chrome, "", false, page, next));
    }

    WebResponse contact(WebRequest request) {
        Session session = request.requireSession();
        Contact contact = contacts.get(session.workspaceId(), new ContactId(request.pathParameter("id")));
        Optional<EventCursor> after = request.queryParameter("after").map(token -> EventCursor.decode(token)
                .orElseThrow(() -> TallyException.invalid("after", "the page link is not valid")));
        EventPage page = events.timeline(session.workspaceId(), contact, after, EVENTS_PER_PAGE);
        List<Views.TimelineEntry> timeline = new ArrayList<>();
        for (DataEvent event : page.events()) {
            timeline.add(new Views.TimelineEntry(
                    event.name().value(), Views.instant(event.createdAt()), MetadataView.of(event.metadata())));
        }
        String title = contact.name().orElse(contact.email().orElse(contact.id().value()));
        return templates.page(
                "contact.jte",
                new Views.ContactPage(
                        chrome(session, title, "contacts"),
                        contact,
                        events.summarize(session.workspaceId(), contact),
                        timeline,
                        page.next().map(EventCursor::encode),
                        after.isEmpty()));
    }

    /** Deletes a contact with its events (as {@code DELETE /contacts/{id}}); a write token's change. */
    WebResponse deleteContact(WebRequest request) {
        Session session = request.requireSession();
        contacts.delete(session.workspaceId(), new ContactId(request.pathParameter("id")));
        return WebResponse.redirect("/app/contacts");
    }

    /** The operator moves to another workspace. */
    WebResponse switchWorkspace(WebRequest request, Sessions sessions) {
        Session session = request.requireSession();
        if (!session.admin()) {
            throw new TallyException(ErrorCode.ACTION_FORBIDDEN, "Only the operator can switch workspaces.");
        }
        Workspace workspace = request.formParameter("workspace")
                .map(dev.tally.workspace.WorkspaceId::new)
                .flatMap(workspaces::find)
                .orElseThrow(() -> TallyException.invalid("workspace", "There is no such workspace."));
        sessions.replace(session.inWorkspace(workspace.id()));
        return WebResponse.redirect("/app/overview");
    }

    Chrome chrome(Session session, String title, String active) {
        Workspace workspace = workspaces
                .find(session.workspaceId())
                .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "This workspace no longer exists."));
        List<Workspace> all = session.admin() ? workspaces.list() : List.of(workspace);
        return new Chrome(title, active, workspace, all, session.admin(), session.canWrite(), session.csrfToken());
    }

    private static int days(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 30;
        }
    }
}
