package dev.tally.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.contact.ContactId;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.json.TallyJson;
import dev.tally.metadata.MetadataJson;
import dev.tally.segment.SegmentId;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.webhook.Topic;
import dev.tally.workspace.WorkspaceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Subscriptions and notifications as small JSON documents, for stores that keep whole records as
 * values (RocksDB). Instants are epoch milliseconds. Fields added later are optional when read, so
 * values written before them still decode.
 */
public final class WebhookCodec {
    private WebhookCodec() {}

    public static byte[] subscription(Subscription subscription) {
        ObjectNode node = TallyJson.mapper().createObjectNode();
        node.put("id", subscription.id().value());
        node.put("workspace_id", subscription.workspaceId().value());
        node.put("url", subscription.url());
        ArrayNode names = node.putArray("event_names");
        subscription.eventNames().forEach(name -> names.add(name.value()));
        node.put("hub_secret", subscription.hubSecret());
        node.put("active", subscription.active());
        node.put("created_at", subscription.createdAt().toEpochMilli());
        subscription.failingSince().ifPresent(at -> node.put("failing_since", at.toEpochMilli()));
        subscription.inactiveReason().ifPresent(reason -> node.put("inactive_reason", reason));
        subscription.segmentId().ifPresent(segment -> node.put("segment_id", segment.value()));
        return bytes(node);
    }

    public static Subscription subscription(byte[] json) {
        JsonNode node = read(json);
        List<EventName> names = new ArrayList<>();
        node.get("event_names").forEach(name -> names.add(new EventName(name.textValue())));
        return new Subscription(
                new SubscriptionId(node.get("id").textValue()),
                new WorkspaceId(node.get("workspace_id").textValue()),
                node.get("url").textValue(),
                names,
                node.get("hub_secret").textValue(),
                node.get("active").booleanValue(),
                Instant.ofEpochMilli(node.get("created_at").longValue()),
                instant(node, "failing_since"),
                text(node, "inactive_reason"),
                // Absent in what was written before subscriptions had segments: no segment.
                text(node, "segment_id").map(SegmentId::new));
    }

    public static byte[] notification(Notification notification) {
        ObjectNode node = TallyJson.mapper().createObjectNode();
        node.put("id", notification.id().value());
        node.put("workspace_id", notification.workspaceId().value());
        node.put("subscription_id", notification.subscriptionId().value());
        node.put("topic", notification.topic().wireName());
        notification.event().ifPresent(event -> {
            ObjectNode stored = node.putObject("event");
            stored.put("id", event.id().value());
            stored.put("contact_id", event.contactId().value());
            stored.put("name", event.name().value());
            stored.put("created_at", event.createdAt());
            stored.put("metadata", MetadataJson.toJson(event.metadata()));
        });
        node.put("created_at", notification.createdAt().toEpochMilli());
        node.put("status", notification.status().wireName());
        node.put("attempts", notification.attempts());
        node.put("next_attempt_at", notification.nextAttemptAt().toEpochMilli());
        notification.firstSentAt().ifPresent(at -> node.put("first_sent_at", at.toEpochMilli()));
        notification.lastAttemptAt().ifPresent(at -> node.put("last_attempt_at", at.toEpochMilli()));
        notification.deliveredAt().ifPresent(at -> node.put("delivered_at", at.toEpochMilli()));
        notification.lastResponseCode().ifPresent(code -> node.put("last_response_code", code));
        notification.lastResponse().ifPresent(text -> node.put("last_response", text));
        return bytes(node);
    }

    public static Notification notification(byte[] json) {
        JsonNode node = read(json);
        WorkspaceId workspaceId = new WorkspaceId(node.get("workspace_id").textValue());
        Optional<DataEvent> event = Optional.ofNullable(node.get("event"))
                .map(stored -> new DataEvent(
                        new EventId(stored.get("id").textValue()),
                        workspaceId,
                        new ContactId(stored.get("contact_id").textValue()),
                        new EventName(stored.get("name").textValue()),
                        stored.get("created_at").longValue(),
                        MetadataJson.readStored(stored.get("metadata").textValue())));
        JsonNode code = node.get("last_response_code");
        return new Notification(
                new NotificationId(node.get("id").textValue()),
                workspaceId,
                new SubscriptionId(node.get("subscription_id").textValue()),
                Topic.fromWireName(node.get("topic").textValue()).orElseThrow(),
                event,
                Instant.ofEpochMilli(node.get("created_at").longValue()),
                DeliveryStatus.fromWireName(node.get("status").textValue()).orElseThrow(),
                node.get("attempts").intValue(),
                Instant.ofEpochMilli(node.get("next_attempt_at").longValue()),
                instant(node, "first_sent_at"),
                instant(node, "last_attempt_at"),
                instant(node, "delivered_at"),
                code == null ? OptionalInt.empty() : OptionalInt.of(code.intValue()),
                text(node, "last_response"));
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull()
                ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(value.longValue()));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.textValue());
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return TallyJson.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return TallyJson.mapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored webhook record is not JSON", e);
        }
    }
}
