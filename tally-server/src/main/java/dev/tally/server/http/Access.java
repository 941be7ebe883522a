package dev.tally.server.http;

/** What a route requires of its caller. */
public enum Access {
    PUBLIC,
    READ,
    WRITE,
    ADMIN
}
