/** The services: what Tally does with the domain, through the storage SPI. Handlers call only these. */
package dev.tally.service;
