/** Contacts: the users and leads events belong to, and how a request names one. */
@NullMarked
package dev.tally.contact;

import org.jspecify.annotations.NullMarked;
