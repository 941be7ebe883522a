package dev.tally.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.EventName;
import dev.tally.segment.SegmentId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookCodecTest {
    @Test
    void aSubscriptionWrittenBeforeSegmentsDecodesAsForEveryContact() {
        // Exactly what WebhookCodec wrote before subscriptions had a segment_id.
        byte[] old = ("{\"id\":\"nsub_0a1b2c3d4e5f60718293a4b5\",\"workspace_id\":\"acme\","
                        + "\"url\":\"https://hooks.example.com/x\",\"event_names\":[\"placed-order\"],"
                        + "\"hub_secret\":\"3f9c\",\"active\":true,\"created_at\":1764504000000}")
                .getBytes(StandardCharsets.UTF_8);

        Subscription decoded = WebhookCodec.subscription(old);

        assertThat(decoded.segmentId()).isEmpty();
        assertThat(decoded.eventNames()).containsExactly(EventName.of("placed-order"));
        assertThat(decoded.active()).isTrue();
    }

    @Test
    void aSubscriptionWithASegmentRoundTrips() {
        Subscription subscription = new Subscription(
                new SubscriptionId("nsub_0a1b2c3d4e5f60718293a4b5"),
                new WorkspaceId("acme"),
                "https://hooks.example.com/x",
                List.of(EventName.of("placed-order")),
                Subscription.newHubSecret(),
                true,
                Instant.ofEpochMilli(1_764_504_000_000L),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new SegmentId("6a1f00000000000000000001")));

        assertThat(WebhookCodec.subscription(WebhookCodec.subscription(subscription)))
                .isEqualTo(subscription);
    }
}
