package dev.tally.storage.rocksdb;

import static dev.tally.storage.rocksdb.TestingWorkspace.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.metadata.MetadataValue;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's records hold event keys only, and the events' values are read when the notifications
 * are made. A store upgraded with records of the first format (a copy of each event inside) still
 * makes them; an event gone by then is owed nothing, and the rest of its record still is.
 */
class WebhookOutboxFormatTest {
    @TempDir
    Path directory;

    private final Subscription orders = new Subscription(
            SubscriptionId.random(),
            WORKSPACE,
            "https://hooks.example.com/orders",
            List.of(EventName.of("placed-order")),
            Subscription.newHubSecret(),
            true,
            Instant.EPOCH,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    private final List<DataEvent> events = List.of(
            TestingWorkspace.event("placed-order", 1_700_000_001L, Map.of("sku", new MetadataValue.StringValue("a"))),
            TestingWorkspace.event("placed-order", 1_700_000_002L, Map.of("sku", new MetadataValue.StringValue("b"))),
            TestingWorkspace.event("placed-order", 1_700_000_003L, Map.of()));

    @Test
    void recordsOfTheFirstFormatAreStillMadeAfterAnUpgrade() {
        appendThrough(batch -> batch.stream()
                .map(write -> write instanceof Layer.Write.Put put && put.column() == Column.WEBHOOK_OUTBOX
                        ? new Layer.Write.Put(put.column(), put.key(), firstFormat(put.value(), batch))
                        : write)
                .toList());

        try (RocksDbStore store = RocksDbStore.open(directory)) {
            assertThat(store.webhooks().countPending()).isEqualTo(3);
            assertThat(notifiedEvents(store)).containsExactlyInAnyOrderElementsOf(events);
            // And what the upgraded store writes itself is made too.
            DataEvent later = TestingWorkspace.event("placed-order", 1_700_000_004L, Map.of());
            store.append(List.of(later));
            assertThat(notifiedEvents(store)).hasSize(4).contains(later);
        }
    }

    @Test
    void anEventGoneBeforeItsNotificationIsMadeIsOwedNothingAndTheRestOfItsRecordIs() {
        List<byte[]> eventKeys = new ArrayList<>();
        // The second event's put is dropped from the batch that carries its outbox entry: as if it
        // were deleted in the same batch, after its append (the one case a deletion can't make it first).
        appendThrough(batch -> {
            List<Layer.Write> kept = new ArrayList<>();
            for (Layer.Write write : batch) {
                if (write instanceof Layer.Write.Put put && put.column() == Column.EVENTS) {
                    eventKeys.add(put.key());
                    if (eventKeys.size() == 2) {
                        continue;
                    }
                }
                kept.add(write);
            }
            return kept;
        });

        try (RocksDbStore store = RocksDbStore.open(directory)) {
            assertThat(notifiedEvents(store)).containsExactlyInAnyOrder(events.get(0), events.get(2));
            assertThat(store.webhooks().countPending()).isEqualTo(2);
        }
    }

    /** Appends the three events in one batch, with {@code rewrite} applied to the batch's writes. */
    private void appendThrough(UnaryOperator<List<Layer.Write>> rewrite) {
        try (RocksDbStore store = RocksDbStore.open(
                RocksDbConfig.defaults(directory), writer -> writes -> writer.write(rewrite.apply(writes)))) {
            TestingWorkspace.insertInto(store);
            store.webhooks().insertSubscription(orders);
            store.append(events);
        }
    }

    private List<DataEvent> notifiedEvents(RocksDbStore store) {
        return store.webhooks().listNotifications(WORKSPACE, orders.id(), Optional.empty(), 100).stream()
                .map(Notification::event)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * A record as the first format wrote it: the time, how many it owes, the number of events, then
     * per event its key, its value as stored (taken from the same batch) and its subscriptions by name.
     */
    private static byte[] firstFormat(byte[] keysOnly, List<Layer.Write> batch) {
        Map<String, byte[]> stored = new HashMap<>();
        for (Layer.Write write : batch) {
            if (write instanceof Layer.Write.Put put && put.column() == Column.EVENTS) {
                stored.put(Arrays.toString(put.key()), put.value());
            }
        }
        ValueReader reader = new ValueReader(keysOnly);
        assertThat(reader.signed()).isEqualTo(RocksDbWebhookStore.KEYS_ONLY);
        ValueWriter old = new ValueWriter().signed(reader.signed()).unsigned(reader.unsigned());
        List<String> named = new ArrayList<>();
        for (long i = reader.unsigned(); i > 0; i--) {
            named.add(reader.string());
        }
        long count = reader.unsigned();
        old.unsigned(count);
        for (long e = 0; e < count; e++) {
            byte[] key = reader.bytes();
            old.bytes(key).bytes(stored.get(Arrays.toString(key)));
            int subscriptions = reader.count();
            old.unsigned(subscriptions);
            for (int i = 0; i < subscriptions; i++) {
                old.string(named.get(reader.count()));
            }
        }
        return old.build();
    }
}
