/** Data events: names, the event value, how a request becomes one, and the service that takes and lists them. */
package dev.tally.event;
