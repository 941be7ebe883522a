/**
 * The dashboard at {@code /app}: server-rendered jte pages with htmx, signed in with a workspace
 * token exchanged for a session cookie, every change CSRF-checked. Pages call the same services as
 * the JSON API.
 */
@NullMarked
package dev.tally.server.web;

import org.jspecify.annotations.NullMarked;
