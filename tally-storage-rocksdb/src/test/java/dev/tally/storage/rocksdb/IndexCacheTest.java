package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.ContactId;
import dev.tally.event.EventName;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;

/** The copies serve only while no commit touched their name, and a busy name is read page by page. */
class IndexCacheTest {
    private static final WorkspaceId ACME = new WorkspaceId("acme");
    private static final EventName VIEWED = new EventName("viewed");
    private static final EventName CHURNED = new EventName("churned");

    /** A name's index as the scan sees it, and how often it was scanned or paged. */
    private final List<String> ids = new ArrayList<>(List.of("c1", "c2", "c3"));

    private long count = 1;
    private int scans;
    private int pagedReads;

    private List<ContactSummary> read(IndexCache cache, Optional<ContactId> atOrAfter, int limit)
            throws RocksDBException {
        return cache.page(
                ACME,
                VIEWED,
                atOrAfter,
                limit,
                entry -> {
                    scans++;
                    for (String id : ids) {
                        byte[] key = Keys.of(id);
                        entry.accept(key, 0, key.length, new EventSummary(VIEWED, count, 1, 2));
                    }
                },
                () -> {
                    pagedReads++;
                    return List.of();
                });
    }

    private static List<String> idsOf(List<ContactSummary> page) {
        return page.stream().map(entry -> entry.contactId().value()).toList();
    }

    @Test
    void aCopyServesUntilACommitTouchesItsName() throws RocksDBException {
        IndexCache cache = new IndexCache(0);
        assertThat(idsOf(read(cache, Optional.empty(), 2))).containsExactly("c1", "c2");
        assertThat(idsOf(read(cache, Optional.of(new ContactId("c2")), 10))).containsExactly("c2", "c3");
        assertThat(scans).isEqualTo(1);

        cache.touched(ACME, CHURNED);
        cache.committed();
        read(cache, Optional.empty(), 10);
        assertThat(scans).as("another name's commit").isEqualTo(1);

        ids.add("c4");
        count = 2;
        cache.touched(ACME, VIEWED); // a commit being assembled: already not current
        List<ContactSummary> during = read(cache, Optional.empty(), 10);
        assertThat(scans).isEqualTo(2);
        assertThat(during.get(0).summary().count()).isEqualTo(2);
        cache.committed();
        assertThat(idsOf(read(cache, Optional.of(new ContactId("c25")), 10))).containsExactly("c3", "c4");
        assertThat(scans).as("copied after the touch was committed").isEqualTo(3);
        read(cache, Optional.empty(), 10);
        assertThat(scans).isEqualTo(3);
        assertThat(pagedReads).isZero();
    }

    @Test
    void aNameWrittenJustNowIsReadPageByPage() throws RocksDBException {
        IndexCache cache = new IndexCache(IndexCache.QUIET_NANOS);
        cache.touched(ACME, VIEWED);
        cache.committed();
        read(cache, Optional.empty(), 10);
        read(cache, Optional.empty(), 10);
        assertThat(pagedReads).isEqualTo(2);
        assertThat(scans).isZero();
    }
}
