/** Saved segments: a named contact search whose membership is computed when asked. */
@NullMarked
package dev.tally.segment;

import org.jspecify.annotations.NullMarked;
