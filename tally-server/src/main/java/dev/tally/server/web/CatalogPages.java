package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.catalog.CatalogEntry;
import dev.tally.event.EventName;
import dev.tally.service.EventCatalogService;
import java.util.List;

/** The Events page: the event catalog, and archiving a name (the catalog is issue 12's). */
final class CatalogPages {
    private final Templates templates;
    private final Pages pages;
    private final EventCatalogService catalog;

    CatalogPages(Templates templates, Pages pages, EventCatalogService catalog) {
        this.templates = requireNonNull(templates, "templates is null");
        this.pages = requireNonNull(pages, "pages is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    WebResponse list(WebRequest request) {
        Session session = request.requireSession();
        boolean archived =
                request.queryParameter("archived").filter("1"::equals).isPresent();
        List<CatalogEntry> all = catalog.list(session.workspaceId(), true);
        List<CatalogEntry> shown =
                all.stream().filter(entry -> entry.archived() == archived).toList();
        long archivedCount = all.stream().filter(CatalogEntry::archived).count();
        return templates.page(
                "events.jte",
                new Views.EventsPage(pages.chrome(session, "Events", "events"), shown, archived, archivedCount));
    }

    WebResponse archive(WebRequest request) {
        return setArchived(request, true);
    }

    WebResponse unarchive(WebRequest request) {
        return setArchived(request, false);
    }

    private WebResponse setArchived(WebRequest request, boolean archived) {
        Session session = request.requireSession();
        EventName name = EventName.of(request.pathParameter("name"));
        if (archived) {
            catalog.archive(session.workspaceId(), name);
        } else {
            catalog.unarchive(session.workspaceId(), name);
        }
        // Back to the list the name was on, which it has now left.
        return WebResponse.redirect(archived ? "/app/events" : "/app/events?archived=1");
    }
}
