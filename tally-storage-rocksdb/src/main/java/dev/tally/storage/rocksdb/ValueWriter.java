package dev.tally.storage.rocksdb;

import java.util.Arrays;

/** A growable buffer for stored values: varints for numbers, length-prefixed CESU-8 for strings. */
final class ValueWriter {
    private byte[] buffer = new byte[128];
    private int size;

    ValueWriter add(byte b) {
        if (size == buffer.length) {
            buffer = Arrays.copyOf(buffer, size * 2);
        }
        buffer[size++] = b;
        return this;
    }

    /** An unsigned varint (7 bits a byte): small counts and lengths take one byte. */
    ValueWriter unsigned(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            add((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        return add((byte) rest);
    }

    /** A zig-zag varint, so small negative numbers stay short too. */
    ValueWriter signed(long value) {
        return unsigned((value << 1) ^ (value >> 63));
    }

    ValueWriter bool(boolean value) {
        return add((byte) (value ? 1 : 0));
    }

    ValueWriter bytes(byte[] value) {
        unsigned(value.length);
        if (size + value.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + value.length));
        }
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    ValueWriter string(String value) {
        return bytes(Cesu8.encode(value));
    }

    byte[] build() {
        return Arrays.copyOf(buffer, size);
    }
}
