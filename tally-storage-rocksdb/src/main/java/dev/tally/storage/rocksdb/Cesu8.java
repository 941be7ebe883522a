package dev.tally.storage.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One UTF-16 unit at a time as one to three bytes (CESU-8). Unlike {@link String#getBytes} with
 * UTF-8 it keeps unpaired surrogates, so every Java string round-trips, and its byte order is the
 * order of {@link String#compareTo}.
 */
final class Cesu8 {
    private Cesu8() {}

    interface ByteSink {
        void add(byte b);
    }

    static void encode(char c, ByteSink out) {
        if (c < 0x80) {
            out.add((byte) c);
        } else if (c < 0x800) {
            out.add((byte) (0xC0 | (c >> 6)));
            out.add((byte) (0x80 | (c & 0x3F)));
        } else {
            out.add((byte) (0xE0 | (c >> 12)));
            out.add((byte) (0x80 | ((c >> 6) & 0x3F)));
            out.add((byte) (0x80 | (c & 0x3F)));
        }
    }

    /**
     * The encoding of a whole string. ASCII, which ids and event names nearly always are, is its
     * own encoding and takes one copy instead of a call per character.
     */
    static byte[] encode(String value) {
        if (isAscii(value)) {
            return value.getBytes(StandardCharsets.ISO_8859_1);
        }
        ValueSink out = new ValueSink(value.length() * 3);
        for (int i = 0; i < value.length(); i++) {
            encode(value.charAt(i), out);
        }
        return Arrays.copyOf(out.bytes, out.size);
    }

    /** Decodes {@code bytes[from, to)}; ASCII takes one copy. */
    static String decode(byte[] bytes, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = new StringBuilder(to - from);
        for (int at = from; at < to; ) {
            at = decode(bytes, at, out);
        }
        return out.toString();
    }

    /** True if every character is 1..127: the ones whose encoding is one byte, the same in every order. */
    static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static final class ValueSink implements ByteSink {
        private final byte[] bytes;
        private int size;

        ValueSink(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void add(byte b) {
            bytes[size++] = b;
        }
    }

    /** Decodes the unit starting at {@code position}, returning the position after it. */
    static int decode(byte[] bytes, int position, StringBuilder out) {
        int lead = bytes[position] & 0xFF;
        if (lead < 0x80) {
            out.append((char) lead);
            return position + 1;
        }
        if (lead < 0xE0) {
            out.append((char) (((lead & 0x1F) << 6) | (bytes[position + 1] & 0x3F)));
            return position + 2;
        }
        out.append((char) (((lead & 0x0F) << 12) | ((bytes[position + 1] & 0x3F) << 6) | (bytes[position + 2] & 0x3F)));
        return position + 3;
    }
}
