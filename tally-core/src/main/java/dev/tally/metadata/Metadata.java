package dev.tally.metadata;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An event's metadata: keys in the order they were sent, each with its typed value. */
public record Metadata(Map<String, MetadataValue> values) {
    public static final Metadata EMPTY = new Metadata(Map.of());

    public Metadata {
        requireNonNull(values, "values is null");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public List<String> keys() {
        return List.copyOf(values.keySet());
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
