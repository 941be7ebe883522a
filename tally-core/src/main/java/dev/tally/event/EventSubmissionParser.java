package dev.tally.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.ContactRef;
import dev.tally.contact.ContactRefParser;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.metadata.MetadataJson;
import dev.tally.metadata.MetadataLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns one event's JSON into an {@link EventSubmission}, applying every rule of Intercom's
 * {@code POST /events}: required fields, identity precedence ({@code id}, then {@code user_id},
 * then {@code email}), name normalization, metadata typing and the {@code created_at} checks.
 * Errors name the field. Unknown fields are ignored, as Intercom does.
 */
public final class EventSubmissionParser {
    /** A client clock may run ahead; more than this is a mistake (usually milliseconds). */
    static final Duration MAX_FUTURE = Duration.ofDays(1);

    /** 2001-09-09 in milliseconds: any recent millisecond time is larger, no seconds value before 33658 is. */
    private static final long MIN_MILLISECONDS = 1_000_000_000_000L;

    private final MetadataLimits limits;

    public EventSubmissionParser(MetadataLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Parses one event. {@code defaultCreatedAt} stamps events that carry no {@code created_at}
     * (the browser widget sends none); when empty, {@code created_at} is required.
     */
    public EventSubmission parse(JsonNode body, Instant now, Optional<Long> defaultCreatedAt) {
        if (body == null || !body.isObject()) {
            throw TallyException.invalid("body", "an event must be a JSON object");
        }
        EventName name = parseName(body.get("event_name"));
        long createdAt = parseCreatedAt(body.get("created_at"), now, defaultCreatedAt);
        ContactRef contact = parseContact(body);
        MetadataJson.Parsed metadata = MetadataJson.parse(body.get("metadata"), limits);
        return new EventSubmission(name, createdAt, contact, metadata.metadata(), metadata.keysOverLimit());
    }

    private static EventName parseName(JsonNode node) {
        if (node == null || node.isNull()) {
            throw TallyException.missing("event_name", "event_name is required");
        }
        if (!node.isTextual()) {
            throw TallyException.invalid("event_name", "event_name must be a string");
        }
        String raw = node.textValue();
        if (raw.isBlank()) {
            throw TallyException.invalid("event_name", "event_name must not be empty");
        }
        if (InputText.hasControlCharacter(raw)) {
            throw TallyException.invalid("event_name", "event_name must not contain control characters");
        }
        if (raw.strip().length() > EventName.MAX_LENGTH) {
            throw TallyException.invalid(
                    "event_name",
                    "event_name is " + raw.strip().length() + " characters long; the limit is " + EventName.MAX_LENGTH);
        }
        try {
            return EventName.of(raw);
        } catch (IllegalArgumentException e) {
            throw TallyException.invalid("event_name", "event_name " + e.getMessage());
        }
    }

    private static long parseCreatedAt(JsonNode node, Instant now, Optional<Long> defaultCreatedAt) {
        if (node == null || node.isNull()) {
            return defaultCreatedAt.orElseThrow(() ->
                    TallyException.missing("created_at", "created_at is required (UTC unix timestamp in seconds)"));
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw TallyException.invalid(
                    "created_at",
                    "created_at must be a whole number of seconds since 1970-01-01 UTC, got "
                            + InputText.abbreviate(node.toString()));
        }
        long seconds = node.longValue();
        if (seconds < 0) {
            throw TallyException.invalid("created_at", "created_at must not be negative, got " + seconds);
        }
        long latest = now.plus(MAX_FUTURE).getEpochSecond();
        if (seconds > latest) {
            String message = "created_at " + seconds + " is more than a day in the future";
            if (seconds >= MIN_MILLISECONDS && seconds / 1000 <= latest) {
                message += "; it looks like milliseconds: send seconds (" + (seconds / 1000) + ")";
            }
            throw TallyException.invalid("created_at", message);
        }
        return seconds;
    }

    private static ContactRef parseContact(JsonNode body) {
        return ContactRefParser.fromJson(body, ContactRefParser.EVENT_FIELDS, EventSubmissionParser::noContact);
    }

    private static TallyException noContact() {
        return TallyException.missing("user_id", "an event needs one of id, user_id or email to name its contact");
    }
}
