package dev.tally.storage.rocksdb;

import dev.tally.contact.Contact;
import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.workspace.WorkspaceId;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Optional;
import org.rocksdb.RocksDBException;

/**
 * The daily counts' keys and values, and the read-add-write that keeps them: workspace | epoch day
 * | name → count in {@link Column#DAILY_EVENT_COUNTS}, workspace | epoch day → count in {@link
 * Column#DAILY_CONTACT_COUNTS}. Day before name, so a range of days is one seek and a short scan.
 */
final class DailyCountKeys {
    private DailyCountKeys() {}

    static byte[] event(DataEvent event) {
        return event(event.workspaceId(), DailyEventCount.dayOf(event.createdAt()), event.name());
    }

    static byte[] event(WorkspaceId workspaceId, LocalDate day, EventName name) {
        return Keys.key()
                .bytes(Keys.of(workspaceId.value()))
                .longValue(day.toEpochDay())
                .string(name.value())
                .build();
    }

    static byte[] contact(Contact contact) {
        return day(
                contact.workspaceId(), DailyEventCount.dayOf(contact.createdAt().getEpochSecond()));
    }

    /** workspace | epoch day: a contact count's key, and where a range of either column starts. */
    static byte[] day(WorkspaceId workspaceId, LocalDate day) {
        return Keys.key()
                .bytes(Keys.of(workspaceId.value()))
                .longValue(day.toEpochDay())
                .build();
    }

    /** Adds {@code delta} to a counter when a batch ends (see {@link Deltas}); a counter that reaches zero is deleted. */
    static void add(Changes changes, Column column, byte[] key, long delta) throws RocksDBException {
        Optional<byte[]> stored = changes.get(column, key);
        long value = Math.max(0, stored.map(DailyCountKeys::count).orElse(0L) + delta);
        if (value == 0) {
            changes.delete(column, key);
        } else {
            changes.put(
                    column, key, ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        }
    }

    static long count(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    static DailyEventCount eventCount(byte[] key, int workspacePrefixLength, byte[] value) {
        Keys.Reader reader = new Keys.Reader(key, workspacePrefixLength);
        LocalDate day = LocalDate.ofEpochDay(reader.longValue());
        return new DailyEventCount(day, new EventName(reader.string()), count(value));
    }

    static DailyContactCount contactCount(byte[] key, int workspacePrefixLength, byte[] value) {
        LocalDate day = LocalDate.ofEpochDay(new Keys.Reader(key, workspacePrefixLength).longValue());
        return new DailyContactCount(day, count(value));
    }
}
