/** Intercom's legacy bulk API: jobs that carry lists of events, with their failed items. */
@NullMarked
package dev.tally.job;

import org.jspecify.annotations.NullMarked;
