/** The one JSON configuration Tally reads and writes with: exact numbers, duplicate keys rejected. */
package dev.tally.json;
