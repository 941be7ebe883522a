/** Workspaces: the tenant that owns contacts, events and access tokens. */
package dev.tally.workspace;
