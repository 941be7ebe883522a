package dev.tally.workspace;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers and secrets. One {@link SecureRandom}: ids must not be guessable across tenants. */
public final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private RandomIds() {}

    /** {@code bytes} random bytes as lower-case hex (Intercom's ids look like 24 hex characters). */
    public static String hex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }

    /**
     * A random version-4 UUID from a per-thread generator: for request and event ids, which must be
     * unique but need not be unguessable. {@link java.util.UUID#randomUUID()} draws on the shared
     * SecureRandom, a lock and a system call on every request.
     */
    public static String fastUuid() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new java.util.UUID(most, least).toString();
    }

    public static String alphanumeric(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
        }
        return new String(out);
    }
}
