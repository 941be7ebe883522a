package dev.tally.server.config;

import static java.util.Objects.requireNonNull;

import dev.tally.metadata.MetadataLimits;

/** Request limits that protect the server; all configurable, defaults documented in the README. */
public record ApiLimits(
        long maxBodyBytes, long maxBatchBodyBytes, int defaultPerPage, int maxPerPage, MetadataLimits metadata) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_BATCH_BODY_BYTES = 16L << 20;
    public static final int DEFAULT_PER_PAGE = 15;
    public static final int DEFAULT_MAX_PER_PAGE = 150;

    public static final ApiLimits DEFAULTS = new ApiLimits(
            DEFAULT_MAX_BODY_BYTES,
            DEFAULT_MAX_BATCH_BODY_BYTES,
            DEFAULT_PER_PAGE,
            DEFAULT_MAX_PER_PAGE,
            MetadataLimits.INTERCOM);

    public ApiLimits {
        requireNonNull(metadata, "metadata is null");
        if (maxBatchBodyBytes < maxBodyBytes) {
            throw new IllegalArgumentException("the batch body limit must be at least the body limit");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max body size must be at least 1024 bytes");
        }
        if (maxPerPage < 1 || defaultPerPage < 1 || defaultPerPage > maxPerPage) {
            throw new IllegalArgumentException("per_page bounds must satisfy 1 <= default <= max");
        }
    }
}
