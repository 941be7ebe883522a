/** Intercom's legacy bulk API: jobs that carry lists of events, with their failed items. */
package dev.tally.job;
