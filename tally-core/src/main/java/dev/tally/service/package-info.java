/** The services: what Tally does with the domain, through the storage SPI. Handlers call only these. */
@NullMarked
package dev.tally.service;

import org.jspecify.annotations.NullMarked;
