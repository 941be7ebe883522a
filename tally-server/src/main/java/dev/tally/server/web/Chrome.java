package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.Workspace;
import java.util.List;

/**
 * What every signed-in page shows around its content: the title, the navigation with the current
 * page, the workspace (a switcher for the operator), and the CSRF token its forms carry.
 */
public record Chrome(
        String title,
        String active,
        Workspace workspace,
        List<Workspace> workspaces,
        boolean admin,
        boolean canWrite,
        String csrfToken) {
    public Chrome {
        requireNonNull(title, "title is null");
        requireNonNull(active, "active is null");
        requireNonNull(workspace, "workspace is null");
        workspaces = List.copyOf(workspaces);
        requireNonNull(csrfToken, "csrfToken is null");
    }

    /** The navigation: path and label, in order. */
    public static final List<List<String>> NAVIGATION = List.of(
            List.of("overview", "Overview"),
            List.of("events", "Events"),
            List.of("contacts", "Contacts"),
            List.of("segments", "Segments"),
            List.of("webhooks", "Webhooks"));
}
