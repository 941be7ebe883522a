package dev.tally.metadata;

/**
 * Limits on metadata. Intercom documents 10 keys per event and 255-character strings; Tally rejects
 * longer strings instead of truncating them silently.
 */
public record MetadataLimits(int maxKeysPerEvent, int maxStringLength, int maxKeyLength) {
    public static final MetadataLimits INTERCOM = new MetadataLimits(TrackedKeys.MAX, 255, 255);

    public MetadataLimits {
        if (maxKeysPerEvent < 1 || maxStringLength < 1 || maxKeyLength < 1) {
            throw new IllegalArgumentException("metadata limits must be positive");
        }
    }
}
