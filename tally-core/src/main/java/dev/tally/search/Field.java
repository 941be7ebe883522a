package dev.tally.search;

/** A searchable field: a contact's own field, one aspect of an event name, or a segment. */
public sealed interface Field permits ContactField, EventField, SegmentField {
    ValueType type();

    /** The name as written in a query. */
    String wireName();
}
