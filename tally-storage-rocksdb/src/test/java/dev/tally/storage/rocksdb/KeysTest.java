package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keys must sort as the SPI orders strings, and one key component must never swallow another. */
class KeysTest {
    private static final char[] ALPHABET = {
        '\0', '\u0001', 'a', 'b', 'z', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '✓', '\ud83d', '\ude00', '\ue000',
        '\uffff'
    };

    @Test
    void keyOrderIsStringOrder() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String left = randomString(random);
            String right = randomString(random);

            int keyOrder = Arrays.compareUnsigned(Keys.of(left), Keys.of(right));

            assertThat(Integer.signum(keyOrder))
                    .as(
                            "%s vs %s",
                            left.codePoints().boxed().toList(),
                            right.codePoints().boxed().toList())
                    .isEqualTo(Integer.signum(left.compareTo(right)));
        }
    }

    @Test
    void stringsReadBackExactlyIncludingUnpairedSurrogatesAndNul() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            String first = randomString(random);
            String second = randomString(random);
            byte[] key = Keys.key().string(first).longValue(-i).string(second).build();

            Keys.Reader reader = new Keys.Reader(key, 0);

            assertThat(reader.string()).isEqualTo(first);
            assertThat(reader.longValue()).isEqualTo(-i);
            assertThat(reader.string()).isEqualTo(second);
        }
    }

    @Test
    void wholeStringEncodingMatchesTheOneCharacterAtATimeEncodingAndReadsBack() {
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            String value = randomString(random);
            java.io.ByteArrayOutputStream perCharacter = new java.io.ByteArrayOutputStream();
            for (char c : value.toCharArray()) {
                Cesu8.encode(c, b -> perCharacter.write(b));
            }

            byte[] whole = Cesu8.encode(value);

            assertThat(whole).isEqualTo(perCharacter.toByteArray());
            assertThat(Cesu8.decode(whole, 0, whole.length)).isEqualTo(value);
            assertThat(new ValueReader(new ValueWriter().string(value).build()).string())
                    .isEqualTo(value);
        }
    }

    @Test
    void aComponentIsNeverThePrefixOfALongerOne() {
        byte[] shortId = Keys.of("ws", "c1");

        assertThat(Keys.startsWith(Keys.of("ws", "c10"), shortId)).isFalse();
        assertThat(Keys.startsWith(Keys.of("ws", "c1\0"), shortId)).isFalse();
        assertThat(Keys.startsWith(Keys.of("ws", "c1", "paid"), shortId)).isTrue();
        assertThat(Arrays.compareUnsigned(Keys.of("ws", "c1\0"), Keys.upperBound(shortId)))
                .as("a range delete of c1's keys leaves c1\\0 alone")
                .isGreaterThan(0);
    }

    private static String randomString(Random random) {
        char[] chars = new char[random.nextInt(5)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
