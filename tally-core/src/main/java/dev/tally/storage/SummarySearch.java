package dev.tally.storage;

import dev.tally.contact.Contact;
import java.util.List;

/**
 * A store's own answer to a conjunction of summary conditions: the matches after the cursor (at
 * most the limit, in contact id order), how many match in all, and how many of those are at or
 * before the cursor.
 */
public record SummarySearch(List<Contact> page, long total, long before) {
    public SummarySearch {
        page = List.copyOf(page);
    }
}
