package dev.tally.search;

/** {@code segment_id}: membership of a saved segment. */
public enum SegmentField implements Field {
    SEGMENT_ID;

    @Override
    public ValueType type() {
        return ValueType.SEGMENT;
    }

    @Override
    public String wireName() {
        return "segment_id";
    }
}
