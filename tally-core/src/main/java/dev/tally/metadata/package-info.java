/** Event metadata: the typed values Intercom defines, how JSON maps to them, and the key limits. */
package dev.tally.metadata;
