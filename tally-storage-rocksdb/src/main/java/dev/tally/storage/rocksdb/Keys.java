package dev.tally.storage.rocksdb;

import dev.tally.contact.ContactId;
import dev.tally.workspace.WorkspaceId;
import java.util.Arrays;

/**
 * Byte-ordered composite keys. Strings are written as CESU-8 (UTF-8 with each UTF-16 unit encoded
 * on its own), whose byte order equals {@link String#compareTo}, so keys sort exactly as the SPI
 * orders ids and names. A zero byte is escaped as {@code 00 FF} and every string ends with {@code
 * 00 01}; CESU-8 never produces {@code FF}, so one string's encoding is never a prefix of another's
 * and {@code ws|c1} cannot swallow {@code ws|c10}. Longs are big-endian with the sign bit flipped.
 */
final class Keys {
    private static final byte ESCAPE = 0;
    private static final byte ESCAPED_ZERO = (byte) 0xFF;
    private static final byte TERMINATOR = 1;

    /**
     * The length of workspace | contact for generated ids, which have a fixed width (8 and 24
     * characters): the prefix that the bloom filters of the per-contact column families are built on.
     */
    static final int CONTACT_PREFIX_LENGTH =
            of(WorkspaceId.random().value(), ContactId.random().value()).length;

    private byte[] buffer = new byte[64];
    private int size;

    private Keys() {}

    static Keys key() {
        return new Keys();
    }

    static byte[] of(String... parts) {
        Keys key = key();
        for (String part : parts) {
            key.string(part);
        }
        return key.build();
    }

    Keys string(String value) {
        if (Cesu8.isAscii(value)) {
            // No zero byte to escape, and the encoding is the characters themselves.
            ensure(value.length() + 2);
            for (int i = 0; i < value.length(); i++) {
                buffer[size++] = (byte) value.charAt(i);
            }
            add(ESCAPE);
            add(TERMINATOR);
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                add(ESCAPE);
                add(ESCAPED_ZERO);
            } else {
                Cesu8.encode(c, this::add);
            }
        }
        add(ESCAPE);
        add(TERMINATOR);
        return this;
    }

    Keys longValue(long value) {
        long flipped = value ^ Long.MIN_VALUE;
        for (int shift = 56; shift >= 0; shift -= 8) {
            add((byte) (flipped >>> shift));
        }
        return this;
    }

    Keys bytes(byte[] raw) {
        for (byte b : raw) {
            add(b);
        }
        return this;
    }

    byte[] build() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    private void add(byte b) {
        if (size == buffer.length) {
            buffer = Arrays.copyOf(buffer, size * 2);
        }
        buffer[size++] = b;
    }

    /** The first key after every key that starts with {@code prefix}. */
    static byte[] upperBound(byte[] prefix) {
        // Prefixes end with a string terminator (01) or a long, so incrementing the last byte that is
        // not FF is always possible for the prefixes this store builds.
        byte[] bound = Arrays.copyOf(prefix, prefix.length);
        for (int i = bound.length - 1; i >= 0; i--) {
            if (bound[i] != (byte) 0xFF) {
                bound[i]++;
                return Arrays.copyOf(bound, i + 1);
            }
        }
        throw new IllegalArgumentException("a prefix of only FF bytes has no upper bound");
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Reads the components of a key back, from a position. */
    static final class Reader {
        private final byte[] key;
        private int position;

        Reader(byte[] key, int position) {
            this.key = key;
            this.position = position;
        }

        String string() {
            int end = position;
            while (key[end] != ESCAPE) {
                end++;
            }
            if (key[end + 1] == TERMINATOR) {
                // No escaped zero inside: the string is the bytes up to its terminator.
                String decoded = Cesu8.decode(key, position, end);
                position = end + 2;
                return decoded;
            }
            StringBuilder out = new StringBuilder();
            while (true) {
                byte b = key[position];
                if (b == ESCAPE) {
                    byte next = key[position + 1];
                    position += 2;
                    if (next == TERMINATOR) {
                        return out.toString();
                    }
                    out.append('\0');
                } else {
                    position = Cesu8.decode(key, position, out);
                }
            }
        }

        long longValue() {
            long flipped = 0;
            for (int i = 0; i < 8; i++) {
                flipped = (flipped << 8) | (key[position++] & 0xFF);
            }
            return flipped ^ Long.MIN_VALUE;
        }
    }
}
