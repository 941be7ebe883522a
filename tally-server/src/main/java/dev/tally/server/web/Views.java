package dev.tally.server.web;

import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.Contact;
import dev.tally.event.EventName;
import dev.tally.segment.Segment;
import dev.tally.summary.EventSummary;
import dev.tally.summary.Overview;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import java.util.List;
import java.util.Optional;

/** The model of each page's template. */
public final class Views {
    private Views() {}

    public record SignIn(Optional<String> error) {}

    public record OverviewPage(Chrome chrome, int days, Overview overview, String chartJson) {}

    public record ContactsPage(
            Chrome chrome, String query, boolean searched, List<Contact> contacts, Optional<String> nextAfter) {}

    public record TimelineEntry(String name, String createdAt, List<MetadataView> metadata) {}

    public record ContactPage(
            Chrome chrome,
            Contact contact,
            List<EventSummary> summaries,
            List<TimelineEntry> timeline,
            Optional<String> nextCursor,
            boolean firstPage) {}

    /** A page whose feature has not landed in this version: it says so, and nothing breaks. */
    public record Problem(int status, String heading, String message, boolean signedIn) {}

    /** An instant as ISO-8601 for a {@code <time datetime>} that the browser formats in its own zone. */
    public static String instant(long epochSeconds) {
        return java.time.Instant.ofEpochSecond(epochSeconds).toString();
    }

    public record SubscriptionView(Subscription subscription, List<Notification> deliveries) {}

    public record WebhooksPage(
            Chrome chrome, List<SubscriptionView> subscriptions, Optional<String> error, Optional<String> done) {}

    /** Event names as a list a person reads. */
    public static String names(List<EventName> names) {
        return names.stream().map(EventName::value).collect(java.util.stream.Collectors.joining(", "));
    }

    public record EventsPage(Chrome chrome, List<CatalogEntry> entries, boolean archived, long archivedCount) {}

    /** A tracked key's types, as Intercom names them: {@code string, link}. */
    public static String keyTypes(java.util.Set<KeyType> types) {
        return types.stream().map(KeyType::wireName).collect(java.util.stream.Collectors.joining(", "));
    }

    public record SegmentRow(String id, String name, long count) {}

    /** A field of the segment builder: its query name, its label, and how its value is typed. */
    public record FieldOption(String value, String label, String kind) {}

    public record SegmentsPage(
            Chrome chrome,
            List<SegmentRow> saved,
            List<FieldOption> fields,
            List<List<String>> operators,
            int rows,
            Optional<String> error) {}

    public record LiveCount(Optional<Long> count, Optional<String> message) {}

    public record SegmentPage(
            Chrome chrome, Segment segment, long total, List<Contact> contacts, Optional<String> next) {}

    /** The search operators offered, by symbol, with a label a person reads. */
    public static final List<List<String>> OPERATORS = List.of(
            List.of("=", "is"),
            List.of("!=", "is not"),
            List.of(">", "greater than, or after"),
            List.of("<", "less than, or before"),
            List.of(">=", "at least, or on or after"),
            List.of("<=", "at most, or on or before"),
            List.of("~", "contains"),
            List.of("!~", "does not contain"),
            List.of("^", "starts with"),
            List.of("$", "ends with"),
            List.of("IN", "is one of (comma-separated)"),
            List.of("NIN", "is none of (comma-separated)"));
}
