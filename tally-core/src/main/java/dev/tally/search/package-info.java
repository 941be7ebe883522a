/**
 * Contact search: the query tree ({@link dev.tally.search.Query}), its one parser from Intercom's
 * search JSON, and the rule that decides whether a contact matches.
 */
@NullMarked
package dev.tally.search;

import org.jspecify.annotations.NullMarked;
