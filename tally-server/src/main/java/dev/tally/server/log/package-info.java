/** How Tally writes its logs: the access log's appender. */
@NullMarked
package dev.tally.server.log;

import org.jspecify.annotations.NullMarked;
