/** How Tally writes its logs: the access log's appender. */
package dev.tally.server.log;
