/** Saved segments: a named contact search whose membership is computed when asked. */
package dev.tally.segment;
