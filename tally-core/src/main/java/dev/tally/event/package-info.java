/** Data events: names, the event value, how a request becomes one, and the service that takes and lists them. */
@NullMarked
package dev.tally.event;

import org.jspecify.annotations.NullMarked;
