/** The HTTP API: routing, authentication, request parsing and the wire JSON of every resource. */
package dev.tally.server.http;
