package dev.tally.storage.rocksdb;

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
