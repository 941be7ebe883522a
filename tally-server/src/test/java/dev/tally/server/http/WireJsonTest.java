package dev.tally.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireJsonTest {
    private static final DateTimeFormatter INTERCOM_SUMMARY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void summaryTimesAreWrittenExactlyAsTheFormatterWritesThem() {
        Random random = new Random(3);
        long lastSecondOfYear9999 = 253_402_300_799L;
        for (int i = 0; i < 100_000; i++) {
            long epochSecond = Math.floorMod(random.nextLong(), lastSecondOfYear9999 + 1);

            assertThat(WireJson.summaryTime(epochSecond))
                    .isEqualTo(INTERCOM_SUMMARY_TIME.format(Instant.ofEpochSecond(epochSecond)));
        }
        for (long edge : new long[] {0, 59, 86_399, 951_782_400, 1_700_000_000, lastSecondOfYear9999}) {
            assertThat(WireJson.summaryTime(edge)).isEqualTo(INTERCOM_SUMMARY_TIME.format(Instant.ofEpochSecond(edge)));
        }
    }

    @Test
    void yearsBeyond9999AreStillWritten() {
        long year10000 = 253_402_300_800L;

        assertThat(WireJson.summaryTime(year10000))
                .isEqualTo(INTERCOM_SUMMARY_TIME.format(Instant.ofEpochSecond(year10000)));
    }
}
