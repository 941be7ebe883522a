/** The HTTP API: routing, authentication, request parsing and the wire JSON of every resource. */
@NullMarked
package dev.tally.server.http;

import org.jspecify.annotations.NullMarked;
