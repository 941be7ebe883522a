package dev.tally.storage.rocksdb;

import java.util.Arrays;

/** Reads what {@link ValueWriter} wrote; a truncated or overlong value is corrupt and fails loudly. */
final class ValueReader {
    private final byte[] value;
    private int position;

    ValueReader(byte[] value) {
        this.value = value;
    }

    byte next() {
        if (position >= value.length) {
            throw new IllegalStateException("stored value is truncated");
        }
        return value[position++];
    }

    long unsigned() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = next();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalStateException("stored varint is too long");
    }

    long signed() {
        long zigzag = unsigned();
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    int count() {
        return Math.toIntExact(unsigned());
    }

    boolean bool() {
        return next() != 0;
    }

    byte[] bytes() {
        int length = count();
        if (length > value.length - position) {
            throw new IllegalStateException("stored value is truncated");
        }
        byte[] out = Arrays.copyOfRange(value, position, position + length);
        position += length;
        return out;
    }

    String string() {
        int length = count();
        if (length > value.length - position) {
            throw new IllegalStateException("stored value is truncated");
        }
        String decoded = Cesu8.decode(value, position, position + length);
        position += length;
        return decoded;
    }

    boolean atEnd() {
        return position == value.length;
    }

    void expectEnd() {
        if (position != value.length) {
            throw new IllegalStateException("stored value has " + (value.length - position) + " unread bytes");
        }
    }
}
