package dev.tally.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.ContactId;
import dev.tally.metadata.Metadata;
import dev.tally.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EventCursorTest {

    @Test
    void encodedCursorDecodesToTheSameCursor() {
        EventCursor cursor = new EventCursor(1392036272L, EventName.of("placed-order"));

        assertThat(EventCursor.decode(cursor.encode())).contains(cursor);
    }

    @Test
    void cursorWhoseNameContainsAColonRoundTrips() {
        EventCursor cursor = new EventCursor(5, EventName.of("step:two"));

        assertThat(EventCursor.decode(cursor.encode())).contains(cursor);
    }

    @Test
    void encodedCursorIsSafeInAUrl() {
        String token = new EventCursor(1392036272L, EventName.of("a/b+c?d=e&f")).encode();

        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void garbageDecodesToNothing() {
        assertThat(EventCursor.decode("")).isEmpty();
        assertThat(EventCursor.decode("!!not base64!!")).isEmpty();
        assertThat(EventCursor.decode(base64("no colon here"))).isEmpty();
        assertThat(EventCursor.decode(base64(":placed-order"))).isEmpty();
        assertThat(EventCursor.decode(base64("soon:placed-order"))).isEmpty();
        assertThat(EventCursor.decode(base64("123:"))).isEmpty();
        assertThat(EventCursor.decode(base64("123:   "))).isEmpty();
    }

    @Test
    void olderEventsComeAfterTheCursor() {
        EventCursor cursor = new EventCursor(100, EventName.of("m"));

        assertThat(cursor.precedes(event(99, "m"))).isTrue();
        assertThat(cursor.precedes(event(99, "a"))).isTrue();
        assertThat(cursor.precedes(event(101, "z"))).isFalse();
    }

    @Test
    void atTheSameTimeLaterNamesComeAfterTheCursor() {
        EventCursor cursor = new EventCursor(100, EventName.of("m"));

        assertThat(cursor.precedes(event(100, "n"))).isTrue();
        assertThat(cursor.precedes(event(100, "m"))).isFalse();
        assertThat(cursor.precedes(event(100, "a"))).isFalse();
    }

    @Test
    void cursorAfterAnEventDoesNotPrecedeThatEvent() {
        DataEvent event = event(100, "m");

        assertThat(EventCursor.after(event)).isEqualTo(new EventCursor(100, EventName.of("m")));
        assertThat(EventCursor.after(event).precedes(event)).isFalse();
    }

    private static DataEvent event(long createdAt, String name) {
        return new DataEvent(
                EventId.random(),
                new WorkspaceId("w1"),
                new ContactId("c1"),
                EventName.of(name),
                createdAt,
                Metadata.EMPTY);
    }

    private static String base64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
