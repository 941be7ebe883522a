/** Event metadata: the typed values Intercom defines, how JSON maps to them, and the key limits. */
@NullMarked
package dev.tally.metadata;

import org.jspecify.annotations.NullMarked;
