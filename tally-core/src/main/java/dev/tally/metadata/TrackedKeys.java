package dev.tally.metadata;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The metadata keys an event name tracks: the first {@link #MAX} distinct keys ever seen for it.
 * Stores call {@link #admit} inside their commit so that two events racing for the last free slot
 * cannot both take it.
 */
public record TrackedKeys(List<String> keys) {
    /** Intercom tracks 10 metadata keys per event name; keys past them are accepted and ignored. */
    public static final int MAX = 10;

    public static final TrackedKeys NONE = new TrackedKeys(List.of());

    public TrackedKeys {
        requireNonNull(keys, "keys is null");
        keys = List.copyOf(keys);
    }

    /** What admitting one event's metadata does: the keys now tracked, what is kept, what is ignored. */
    public record Admission(TrackedKeys tracked, Metadata kept, List<String> ignoredKeys) {
        public Admission {
            requireNonNull(tracked, "tracked is null");
            requireNonNull(kept, "kept is null");
            ignoredKeys = List.copyOf(ignoredKeys);
        }

        public boolean changedTrackedKeys(TrackedKeys before) {
            return tracked.keys().size() != before.keys().size();
        }
    }

    public Admission admit(Metadata metadata) {
        if (tracksAll(metadata)) {
            // The usual case once a name has been seen: nothing changes, everything is kept. No
            // copies: this runs for every event on the stores' single writer.
            return new Admission(this, metadata, List.of());
        }
        LinkedHashSet<String> tracked = new LinkedHashSet<>(keys);
        Map<String, MetadataValue> kept = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        metadata.values().forEach((key, value) -> {
            if (tracked.contains(key) || (tracked.size() < MAX && tracked.add(key))) {
                kept.put(key, value);
            } else {
                ignored.add(key);
            }
        });
        return new Admission(new TrackedKeys(List.copyOf(tracked)), new Metadata(kept), ignored);
    }

    private boolean tracksAll(Metadata metadata) {
        for (String key : metadata.values().keySet()) {
            if (!keys.contains(key)) {
                return false;
            }
        }
        return true;
    }
}
