package dev.tally.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingAppenderTest {
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    private BatchingAppender appender(int queueSize) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BatchingAppender appender = new BatchingAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setQueueSize(queueSize);
        appender.setFlushMillis(60_000);
        appender.setOutputStream(written);
        appender.start();
        return appender;
    }

    private void log(BatchingAppender appender, String message) {
        appender.doAppend(new LoggingEvent("test", context.getLogger("tally.access"), Level.INFO, message, null, null));
    }

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyLineIsWrittenInOrderWhenTheAppenderStops() {
        BatchingAppender appender = appender(100_000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            expected.add("line " + i);
            log(appender, "line " + i);
        }

        appender.stop();

        assertThat(lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void linesLongerThanOneWriteStayWhole() {
        BatchingAppender appender = appender(10);
        String longLine = "x".repeat(10_000);
        log(appender, "short");
        log(appender, longLine);
        log(appender, "after");

        appender.flush();

        assertThat(lines()).containsExactly("short", longLine, "after");
        appender.stop();
    }

    @Test
    void aFullQueueDropsLinesAndTheNextFlushSaysHowMany() {
        BatchingAppender appender = appender(3);
        for (int i = 0; i < 5; i++) {
            log(appender, "line " + i);
        }

        appender.flush();

        assertThat(lines())
                .containsExactly(
                        "access log: dropped 2 lines, the writer could not keep up", "line 0", "line 1", "line 2");
        appender.stop();
    }
}
