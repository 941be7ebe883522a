package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue.DateValue;
import dev.tally.metadata.MetadataValue.LinkValue;
import dev.tally.metadata.MetadataValue.MoneyValue;
import dev.tally.metadata.MetadataValue.NumberValue;
import dev.tally.metadata.MetadataValue.RichLinkValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.metadata.MetadataValue.StripeValue;
import dev.tally.storage.WebhookCodec;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CodecTest {
    private final Contact contact = new Contact(
            ContactId.random(),
            WorkspaceId.random(),
            Role.USER,
            Optional.of("user-7"),
            Optional.of("u7@example.com"),
            Optional.empty(),
            Instant.ofEpochSecond(1_700_000_000),
            Instant.ofEpochSecond(1_700_000_100));

    @Test
    void theExternalIdIndexHoldsTheWholeContact() {
        byte[] value = Codec.contactIndex(contact);

        assertThat(Codec.indexedContact(value)).contains(contact);
        assertThat(Codec.indexedContactId(value)).isEqualTo(contact.id());
    }

    @Test
    void anIndexValueOfAnOlderStoreGivesTheIdAndNoContact() {
        byte[] older = Codec.contactId(contact.id());

        assertThat(Codec.indexedContact(older)).isEmpty();
        assertThat(Codec.indexedContactId(older)).isEqualTo(contact.id());
    }

    @Test
    void aNotificationKeepsItsEventsMetadataExactlyAndEveryDeliveryField() {
        Map<String, dev.tally.metadata.MetadataValue> values = new LinkedHashMap<>();
        values.put("item", new StringValue("Ünïcode \u0000 and quotes \""));
        values.put("count", new NumberValue(new BigDecimal("-12.50")));
        values.put("shipped_at", new DateValue(1_700_000_000));
        values.put("url", new LinkValue("https://example.org/a"));
        values.put("order", new RichLinkValue("https://example.org/o/1", "1"));
        values.put("invoice", new StripeValue("inv_42"));
        values.put("price", new MoneyValue(2999, "usd"));
        DataEvent event = new DataEvent(
                EventId.random(),
                contact.workspaceId(),
                contact.id(),
                new EventName("placed-order"),
                1_700_000_123,
                new Metadata(values));
        Notification pending =
                Notification.ofEvent(new SubscriptionId("nsub_1"), event, Instant.ofEpochMilli(1_700_000_123_456L));
        Notification failed = new Notification(
                pending.id(),
                pending.workspaceId(),
                pending.subscriptionId(),
                pending.topic(),
                pending.event(),
                pending.createdAt(),
                DeliveryStatus.FAILED,
                7,
                Instant.ofEpochMilli(1_700_000_999_000L),
                Optional.of(Instant.ofEpochMilli(1_700_000_124_000L)),
                Optional.of(Instant.ofEpochMilli(1_700_000_998_000L)),
                Optional.empty(),
                OptionalInt.of(503),
                Optional.of("Service Unavailable"));

        for (Notification notification : new Notification[] {pending, failed}) {
            byte[] value = Codec.notification(notification);
            assertThat(Codec.isNotificationJson(value)).isFalse();
            assertThat(Codec.notification(value)).isEqualTo(notification);
        }
    }

    @Test
    void aPingRoundTripsAndJsonWrittenBeforeTheBinaryFormIsToldApart() {
        Notification ping =
                Notification.ping(contact.workspaceId(), new SubscriptionId("nsub_2"), Instant.ofEpochMilli(5));

        assertThat(Codec.notification(Codec.notification(ping))).isEqualTo(ping);
        assertThat(Codec.isNotificationJson(WebhookCodec.notification(ping))).isTrue();
    }
}
