/** The one JSON configuration Tally reads and writes with: exact numbers, duplicate keys rejected. */
@NullMarked
package dev.tally.json;

import org.jspecify.annotations.NullMarked;
