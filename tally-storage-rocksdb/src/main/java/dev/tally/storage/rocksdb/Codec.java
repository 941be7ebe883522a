package dev.tally.storage.rocksdb;

import dev.tally.auth.AccessToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.metadata.MetadataValue.DateValue;
import dev.tally.metadata.MetadataValue.LinkValue;
import dev.tally.metadata.MetadataValue.MoneyValue;
import dev.tally.metadata.MetadataValue.NumberValue;
import dev.tally.metadata.MetadataValue.RichLinkValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.metadata.MetadataValue.StripeValue;
import dev.tally.metadata.TrackedKeys;
import dev.tally.summary.EventSummary;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.SubscriptionId;
import dev.tally.webhook.Topic;
import dev.tally.workspace.AppId;
import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.IdentitySecret;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The stored form of each record: a format version byte, then the fields in a compact binary
 * layout. Hand-written rather than JSON because it is several times smaller and faster on the
 * append path, and because it keeps every {@link MetadataValue} exactly: a JSON re-read types values
 * by key and shape, so a number under an {@code _at} key or a string that looks like a URL would
 * change kind. The switch over metadata kinds has no default, so a new kind must be given a tag.
 */
final class Codec {
    private static final byte VERSION = 1;

    private static final byte STRING = 1;
    private static final byte NUMBER = 2;
    private static final byte DATE = 3;
    private static final byte LINK = 4;
    private static final byte RICH_LINK = 5;
    private static final byte STRIPE = 6;
    private static final byte MONEY = 7;

    private Codec() {}

    // ---- workspaces and tokens

    static byte[] workspace(Workspace workspace) {
        ValueWriter out = start().string(workspace.id().value()).string(workspace.name());
        instant(out, workspace.createdAt());
        out.bool(workspace.rateLimitPerMinute().isPresent());
        workspace.rateLimitPerMinute().ifPresent(out::unsigned);
        BrowserSettings browser = workspace.browser();
        out.string(browser.appId().value()).string(browser.identitySecret().value());
        out.unsigned(browser.allowedOrigins().size());
        browser.allowedOrigins().forEach(out::string);
        out.bool(browser.enforceIdentityVerification());
        return out.build();
    }

    /**
     * A stored workspace. Workspaces written before browser settings existed (2026-11-30) end after
     * the rate limit: they are given fresh settings here, which {@link RocksDbStore} writes back
     * once when it opens (see {@link #workspaceHasBrowserSettings}), so the app id never changes.
     */
    static Workspace workspace(byte[] value) {
        ValueReader in = open(value);
        WorkspaceId id = new WorkspaceId(in.string());
        String name = in.string();
        Instant createdAt = instant(in);
        OptionalLong rateLimit = in.bool() ? OptionalLong.of(in.unsigned()) : OptionalLong.empty();
        if (in.atEnd()) {
            return new Workspace(id, name, createdAt, rateLimit, BrowserSettings.generate());
        }
        AppId appId = new AppId(in.string());
        IdentitySecret secret = new IdentitySecret(in.string());
        int origins = in.count();
        List<String> allowedOrigins = new ArrayList<>(origins);
        for (int i = 0; i < origins; i++) {
            allowedOrigins.add(in.string());
        }
        boolean enforce = in.bool();
        in.expectEnd();
        return new Workspace(
                id, name, createdAt, rateLimit, new BrowserSettings(appId, secret, allowedOrigins, enforce));
    }

    /** False for a workspace stored before browser settings existed. */
    static boolean workspaceHasBrowserSettings(byte[] value) {
        ValueReader in = open(value);
        in.string();
        in.string();
        instant(in);
        if (in.bool()) {
            in.unsigned();
        }
        return !in.atEnd();
    }

    static byte[] token(AccessToken token) {
        ValueWriter out = start().string(token.id().value())
                .string(token.workspaceId().value())
                .string(token.hash().hex())
                .unsigned(token.scopes().size());
        // Scopes by name, not ordinal, so reordering the enum cannot change stored permissions.
        token.scopes().stream().map(Scope::name).sorted().forEach(out::string);
        out.string(token.label());
        instant(out, token.createdAt());
        optionalInstant(out, token.revokedAt());
        return out.build();
    }

    static AccessToken token(byte[] value) {
        ValueReader in = open(value);
        TokenId id = new TokenId(in.string());
        WorkspaceId workspaceId = new WorkspaceId(in.string());
        TokenHash hash = new TokenHash(in.string());
        int scopeCount = in.count();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < scopeCount; i++) {
            scopes.add(Scope.valueOf(in.string()));
        }
        String label = in.string();
        Instant createdAt = instant(in);
        Optional<Instant> revokedAt = optionalInstant(in);
        in.expectEnd();
        return new AccessToken(id, workspaceId, hash, scopes, label, createdAt, revokedAt);
    }

    // ---- contacts

    static byte[] contact(Contact contact) {
        ValueWriter out = start().string(contact.id().value())
                .string(contact.workspaceId().value())
                .string(contact.role().name());
        optionalString(out, contact.externalId());
        optionalString(out, contact.email());
        optionalString(out, contact.name());
        instant(out, contact.createdAt());
        instant(out, contact.updatedAt());
        return out.build();
    }

    static Contact contact(byte[] value) {
        ValueReader in = open(value);
        ContactId id = new ContactId(in.string());
        WorkspaceId workspaceId = new WorkspaceId(in.string());
        Role role = Role.valueOf(in.string());
        Optional<String> externalId = optionalString(in);
        Optional<String> email = optionalString(in);
        Optional<String> name = optionalString(in);
        Instant createdAt = instant(in);
        Instant updatedAt = instant(in);
        in.expectEnd();
        return new Contact(id, workspaceId, role, externalId, email, name, createdAt, updatedAt);
    }

    /** The older form of the external-id index value: the contact id alone. */
    static byte[] contactId(ContactId id) {
        return start().string(id.value()).build();
    }

    /**
     * The value of the external-id index: the whole contact, so resolving {@code user_id} (every
     * event and every list names its contact that way) is one read instead of two. Stores written
     * before hold only the contact id there; {@link #indexedContactId} reads both forms.
     */
    static byte[] contactIndex(Contact contact) {
        return contact(contact);
    }

    /** The contact id in an external-id index value of either form (both start with it). */
    static ContactId indexedContactId(byte[] value) {
        return new ContactId(open(value).string());
    }

    /** The contact in an external-id index value; empty for the older form that holds only the id. */
    static Optional<Contact> indexedContact(byte[] value) {
        ValueReader in = open(value);
        in.string();
        return in.atEnd() ? Optional.empty() : Optional.of(contact(value));
    }

    static byte[] tokenHash(TokenHash hash) {
        return start().string(hash.hex()).build();
    }

    static TokenHash tokenHash(byte[] value) {
        ValueReader in = open(value);
        TokenHash hash = new TokenHash(in.string());
        in.expectEnd();
        return hash;
    }

    // ---- events, summaries, tracked keys

    /** An event's value: what its key does not already say. */
    record StoredEvent(EventId id, Metadata metadata) {}

    static byte[] event(EventId id, Metadata metadata) {
        ValueWriter out = start().string(id.value());
        metadata(out, metadata);
        return out.build();
    }

    static StoredEvent event(byte[] value) {
        ValueReader in = open(value);
        EventId id = new EventId(in.string());
        Metadata metadata = metadata(in);
        in.expectEnd();
        return new StoredEvent(id, metadata);
    }

    /**
     * A webhook notification, with its event's metadata in the same form as {@link #event}. Values
     * written before this form are JSON ({@link dev.tally.storage.WebhookCodec}), told apart by their
     * first byte ({@link #isNotificationJson}).
     */
    static byte[] notification(Notification notification) {
        ValueWriter out = start().string(notification.id().value())
                .string(notification.workspaceId().value())
                .string(notification.subscriptionId().value())
                .string(notification.topic().wireName())
                .bool(notification.event().isPresent());
        notification.event().ifPresent(event -> {
            out.string(event.id().value())
                    .string(event.contactId().value())
                    .string(event.name().value())
                    .signed(event.createdAt());
            metadata(out, event.metadata());
        });
        instant(out, notification.createdAt());
        out.string(notification.status().wireName()).unsigned(notification.attempts());
        instant(out, notification.nextAttemptAt());
        optionalInstant(out, notification.firstSentAt());
        optionalInstant(out, notification.lastAttemptAt());
        optionalInstant(out, notification.deliveredAt());
        out.bool(notification.lastResponseCode().isPresent());
        notification.lastResponseCode().ifPresent(out::signed);
        optionalString(out, notification.lastResponse());
        return out.build();
    }

    static boolean isNotificationJson(byte[] value) {
        return value.length > 0 && value[0] == '{';
    }

    static Notification notification(byte[] value) {
        ValueReader in = open(value);
        NotificationId id = new NotificationId(in.string());
        WorkspaceId workspaceId = new WorkspaceId(in.string());
        SubscriptionId subscriptionId = new SubscriptionId(in.string());
        String topic = in.string();
        Optional<DataEvent> event = Optional.empty();
        if (in.bool()) {
            EventId eventId = new EventId(in.string());
            ContactId contactId = new ContactId(in.string());
            EventName name = new EventName(in.string());
            long createdAt = in.signed();
            event = Optional.of(new DataEvent(eventId, workspaceId, contactId, name, createdAt, metadata(in)));
        }
        Instant createdAt = instant(in);
        String status = in.string();
        int attempts = in.count();
        Instant nextAttemptAt = instant(in);
        Optional<Instant> firstSentAt = optionalInstant(in);
        Optional<Instant> lastAttemptAt = optionalInstant(in);
        Optional<Instant> deliveredAt = optionalInstant(in);
        OptionalInt code = in.bool() ? OptionalInt.of(Math.toIntExact(in.signed())) : OptionalInt.empty();
        Optional<String> response = optionalString(in);
        in.expectEnd();
        return new Notification(
                id,
                workspaceId,
                subscriptionId,
                Topic.fromWireName(topic)
                        .orElseThrow(() -> new IllegalStateException("stored notification has topic " + topic)),
                event,
                createdAt,
                DeliveryStatus.fromWireName(status)
                        .orElseThrow(() -> new IllegalStateException("stored notification has status " + status)),
                attempts,
                nextAttemptAt,
                firstSentAt,
                lastAttemptAt,
                deliveredAt,
                code,
                response);
    }

    static byte[] summary(EventSummary summary) {
        return start().unsigned(summary.count())
                .signed(summary.first())
                .signed(summary.last())
                .build();
    }

    static EventSummary summary(EventName name, byte[] value) {
        ValueReader in = open(value);
        EventSummary summary = new EventSummary(name, in.unsigned(), in.signed(), in.signed());
        in.expectEnd();
        return summary;
    }

    static byte[] trackedKeys(TrackedKeys tracked) {
        ValueWriter out = start().unsigned(tracked.keys().size());
        tracked.keys().forEach(out::string);
        return out.build();
    }

    static TrackedKeys trackedKeys(byte[] value) {
        ValueReader in = open(value);
        int size = in.count();
        List<String> keys = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            keys.add(in.string());
        }
        in.expectEnd();
        return new TrackedKeys(keys);
    }

    static byte[] catalogEntry(CatalogEntry entry) {
        ValueWriter out = start().unsigned(entry.count())
                .unsigned(entry.contacts())
                .signed(entry.firstSeen())
                .signed(entry.lastSeen())
                .bool(entry.archived())
                .unsigned(entry.keys().size());
        entry.keys().forEach((key, types) -> {
            int bits = 0;
            for (KeyType type : types) {
                bits |= 1 << type.ordinal();
            }
            out.string(key).unsigned(bits);
        });
        return out.build();
    }

    static CatalogEntry catalogEntry(EventName name, byte[] value) {
        ValueReader in = open(value);
        long count = in.unsigned();
        long contacts = in.unsigned();
        long first = in.signed();
        long last = in.signed();
        boolean archived = in.bool();
        int size = in.count();
        Map<String, Set<KeyType>> keys = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.string();
            long bits = in.unsigned();
            Set<KeyType> types = EnumSet.noneOf(KeyType.class);
            for (KeyType type : KeyType.values()) {
                if ((bits & (1L << type.ordinal())) != 0) {
                    types.add(type);
                }
            }
            keys.put(key, types);
        }
        in.expectEnd();
        return new CatalogEntry(name, count, contacts, first, last, keys, archived);
    }

    // ---- pieces

    private static void metadata(ValueWriter out, Metadata metadata) {
        out.unsigned(metadata.size());
        metadata.values().forEach((key, value) -> {
            out.string(key);
            metadataValue(out, value);
        });
    }

    private static Metadata metadata(ValueReader in) {
        int size = in.count();
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            values.put(in.string(), metadataValue(in));
        }
        return new Metadata(values);
    }

    private static void metadataValue(ValueWriter out, MetadataValue value) {
        switch (value) {
            case StringValue v -> out.add(STRING).string(v.value());
            case NumberValue v ->
                out.add(NUMBER)
                        .signed(v.value().scale())
                        .bytes(v.value().unscaledValue().toByteArray());
            case DateValue v -> out.add(DATE).signed(v.epochSeconds());
            case LinkValue v -> out.add(LINK).string(v.url());
            case RichLinkValue v -> out.add(RICH_LINK).string(v.url()).string(v.value());
            case StripeValue v -> out.add(STRIPE).string(v.stripeId());
            case MoneyValue v -> out.add(MONEY).unsigned(v.amount()).string(v.currency());
        }
    }

    private static MetadataValue metadataValue(ValueReader in) {
        byte tag = in.next();
        return switch (tag) {
            case STRING -> new StringValue(in.string());
            case NUMBER -> {
                int scale = Math.toIntExact(in.signed());
                yield new NumberValue(new BigDecimal(new BigInteger(in.bytes()), scale));
            }
            case DATE -> new DateValue(in.signed());
            case LINK -> new LinkValue(in.string());
            case RICH_LINK -> new RichLinkValue(in.string(), in.string());
            case STRIPE -> new StripeValue(in.string());
            case MONEY -> new MoneyValue(in.unsigned(), in.string());
            default -> throw new IllegalStateException("unknown metadata tag " + tag + " in a stored event");
        };
    }

    private static void instant(ValueWriter out, Instant instant) {
        out.signed(instant.getEpochSecond()).unsigned(instant.getNano());
    }

    private static Instant instant(ValueReader in) {
        long seconds = in.signed();
        return Instant.ofEpochSecond(seconds, in.unsigned());
    }

    private static void optionalInstant(ValueWriter out, Optional<Instant> instant) {
        out.bool(instant.isPresent());
        instant.ifPresent(present -> instant(out, present));
    }

    private static Optional<Instant> optionalInstant(ValueReader in) {
        return in.bool() ? Optional.of(instant(in)) : Optional.empty();
    }

    private static void optionalString(ValueWriter out, Optional<String> value) {
        out.bool(value.isPresent());
        value.ifPresent(out::string);
    }

    private static Optional<String> optionalString(ValueReader in) {
        return in.bool() ? Optional.of(in.string()) : Optional.empty();
    }

    private static ValueWriter start() {
        return new ValueWriter().add(VERSION);
    }

    private static ValueReader open(byte[] value) {
        ValueReader in = new ValueReader(value);
        byte version = in.next();
        if (version != VERSION) {
            throw new IllegalStateException("stored value has format version " + version + ", expected " + VERSION);
        }
        return in;
    }
}
