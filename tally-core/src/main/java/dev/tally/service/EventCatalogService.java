package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.catalog.CatalogEntry;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.WorkspaceId;
import java.util.List;
import java.util.Optional;

/**
 * The event catalog of a workspace (what each event name counts, who did it, its metadata keys and
 * their types) and archiving.
 *
 * <p>An archived name leaves the catalog's default view and cannot be used in a new or changed
 * segment; its events, summaries and index stay, searches may still name it, and segments saved
 * before keep working. An event sent under an archived name is stored and counted like any other
 * (an event that got a 202 is never dropped) and the name stays archived: unarchive it to show it
 * again.
 */
public final class EventCatalogService {
    private final TallyStore store;

    public EventCatalogService(TallyStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The names of the workspace by name; archived ones only when {@code includeArchived}. */
    public List<CatalogEntry> list(WorkspaceId workspaceId, boolean includeArchived) {
        return store.catalog(workspaceId).stream()
                .filter(entry -> includeArchived || !entry.archived())
                .toList();
    }

    /** One name's entry, archived or not; 404 if no event of it was ever stored. */
    public CatalogEntry get(WorkspaceId workspaceId, EventName name) {
        return find(workspaceId, name).orElseThrow(() -> notFound(name));
    }

    public Optional<CatalogEntry> find(WorkspaceId workspaceId, EventName name) {
        return store.catalog(workspaceId).stream()
                .filter(entry -> entry.name().equals(name))
                .findFirst();
    }

    /** Archives a name (again is a no-op) and returns its entry; 404 for a name never stored. */
    public CatalogEntry archive(WorkspaceId workspaceId, EventName name) {
        return setArchived(workspaceId, name, true);
    }

    /** Unarchives a name (again is a no-op) and returns its entry; 404 for a name never stored. */
    public CatalogEntry unarchive(WorkspaceId workspaceId, EventName name) {
        return setArchived(workspaceId, name, false);
    }

    private CatalogEntry setArchived(WorkspaceId workspaceId, EventName name, boolean archived) {
        if (!store.setArchived(workspaceId, name, archived)) {
            throw notFound(name);
        }
        return get(workspaceId, name);
    }

    private static TallyException notFound(EventName name) {
        return new TallyException(
                ErrorCode.NOT_FOUND, "No event named " + name.value() + " was ever stored", "event_name");
    }
}
