/** Contacts: the users and leads events belong to, and how a request names one. */
package dev.tally.contact;
