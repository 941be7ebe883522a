/** Workspaces: the tenant that owns contacts, events and access tokens. */
@NullMarked
package dev.tally.workspace;

import org.jspecify.annotations.NullMarked;
