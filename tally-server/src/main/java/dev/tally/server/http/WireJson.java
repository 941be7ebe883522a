package dev.tally.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.tally.auth.AccessToken;
import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.Contact;
import dev.tally.contact.Role;
import dev.tally.error.TallyError;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.event.EventOutcome;
import dev.tally.job.BulkJob;
import dev.tally.json.TallyJson;
import dev.tally.metadata.MetadataJson;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.service.ExportService;
import dev.tally.service.SearchService;
import dev.tally.summary.EventSummary;
import dev.tally.summary.Overview;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.Topic;
import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The JSON Tally writes, field for field as Intercom's clients read it. Streaming, because these
 * are written on every read request.
 */
public final class WireJson {
    /** Intercom's Java client parses summary times with {@code yyyy-MM-dd'T'HH:mm:ss.SSSX}: always milliseconds. */
    private static final DateTimeFormatter SUMMARY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    // Field names of the read answers, encoded once: writing a String field name escapes and
    // encodes it again on every call, which showed up at the top of the list's profile.
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString CREATED_AT = new SerializedString("created_at");
    private static final SerializedString EVENT_NAME = new SerializedString("event_name");
    private static final SerializedString USER_ID = new SerializedString("user_id");
    private static final SerializedString EMAIL = new SerializedString("email");
    private static final SerializedString INTERCOM_USER_ID = new SerializedString("intercom_user_id");
    private static final SerializedString METADATA = new SerializedString("metadata");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString FIRST = new SerializedString("first");
    private static final SerializedString LAST = new SerializedString("last");
    private static final SerializedString COUNT = new SerializedString("count");
    private static final SerializedString DESCRIPTION = new SerializedString("description");

    // The contact fields Tally has no data for, in the order Intercom writes them.
    private static final List<String> CONTACT_ACTIVITY_FIELDS = List.of(
            "signed_up_at",
            "last_seen_at",
            "last_replied_at",
            "last_contacted_at",
            "last_email_opened_at",
            "last_email_clicked_at",
            "language_override",
            "browser",
            "browser_version",
            "browser_language",
            "os");
    private static final List<String> LOCATION_FIELDS =
            List.of("country", "region", "city", "country_code", "continent_code");
    private static final List<String> CONTACT_DEVICE_FIELDS = List.of(
            "android_app_name",
            "android_app_version",
            "android_device",
            "android_os_version",
            "android_sdk_version",
            "android_last_seen_at",
            "ios_app_name",
            "ios_app_version",
            "ios_device",
            "ios_os_version",
            "ios_sdk_version",
            "ios_last_seen_at");
    private static final List<String> CONTACT_ATTRIBUTION_FIELDS =
            List.of("utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term", "referrer");

    private WireJson() {}

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = TallyJson.mapper().getFactory().createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] errorList(String requestId, List<TallyError> errors) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "error.list");
            out.writeStringField("request_id", requestId);
            writeErrors(out, errors);
            out.writeEndObject();
        });
    }

    /** The {@code errors} array of an error list, also used per item in batch results. */
    private static void writeErrors(JsonGenerator out, List<TallyError> errors) throws IOException {
        out.writeArrayFieldStart("errors");
        for (TallyError error : errors) {
            out.writeStartObject();
            out.writeStringField("code", error.code().wireCode());
            out.writeStringField("message", error.message());
            if (error.field().isPresent()) {
                out.writeStringField("field", error.field().get());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    static byte[] eventList(Contact contact, List<DataEvent> events, Optional<String> nextUrl) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "event.list");
            out.writeArrayFieldStart("events");
            for (DataEvent event : events) {
                writeEvent(out, contact, event);
            }
            out.writeEndArray();
            out.writeObjectFieldStart("pages");
            writeOptional(out, "next", nextUrl);
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    private static void writeEvent(JsonGenerator out, Contact contact, DataEvent event) throws IOException {
        writeEvent(out, contact.externalId(), contact.email(), event);
    }

    /** An event as {@code GET /events} lists it, with its contact's identifiers as given. */
    private static void writeEvent(JsonGenerator out, Optional<String> userId, Optional<String> email, DataEvent event)
            throws IOException {
        out.writeStartObject();
        field(out, TYPE, "event");
        field(out, ID, event.id().value());
        out.writeFieldName(CREATED_AT);
        out.writeNumber(event.createdAt());
        field(out, EVENT_NAME, event.name().value());
        field(out, USER_ID, userId);
        field(out, EMAIL, email.orElse("")); // as contactEmail: "" when none
        field(out, INTERCOM_USER_ID, event.contactId().value());
        out.writeFieldName(METADATA);
        MetadataJson.write(out, event.metadata());
        out.writeEndObject();
    }

    /**
     * The body of a webhook: Intercom's {@code notification_event} envelope around the event as
     * {@code GET /events} lists it ({@code contact} as it is when sent; empty once deleted, leaving
     * only {@code intercom_user_id}), or around a ping. {@code attempt} counts from 1.
     */
    public static byte[] notificationEvent(
            Notification notification, Optional<Contact> contact, int attempt, Instant firstSentAt) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "notification_event");
            out.writeStringField("app_id", notification.workspaceId().value());
            out.writeObjectFieldStart("data");
            out.writeStringField("type", "notification_event_data");
            out.writeFieldName("item");
            if (notification.event().isPresent()) {
                writeEvent(
                        out,
                        contact.flatMap(Contact::externalId),
                        contact.flatMap(Contact::email),
                        notification.event().get());
            } else {
                out.writeStartObject();
                out.writeStringField("type", "ping");
                out.writeStringField("message", "Ping from Tally: this endpoint receives notifications.");
                out.writeEndObject();
            }
            out.writeEndObject();
            out.writeObjectFieldStart("links");
            out.writeEndObject();
            out.writeStringField("id", notification.id().value());
            out.writeStringField("topic", notification.topic().wireName());
            out.writeStringField("delivery_status", "pending");
            out.writeNumberField("delivery_attempts", attempt);
            out.writeNumberField("delivered_at", 0);
            out.writeNumberField("first_sent_at", firstSentAt.getEpochSecond());
            out.writeNumberField("created_at", notification.createdAt().getEpochSecond());
            out.writeNullField("self");
            out.writeEndObject();
        });
    }

    /** A subscription; {@code hub_secret} only for callers that may write (it signs what receivers trust). */
    static byte[] subscription(Subscription subscription, boolean withSecret) {
        return write(out -> writeSubscription(out, subscription, withSecret));
    }

    /** Intercom's {@code notification_subscription.list}: the subscriptions under {@code items}. */
    static byte[] subscriptionList(List<Subscription> subscriptions, boolean withSecret) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "notification_subscription.list");
            out.writeArrayFieldStart("items");
            for (Subscription subscription : subscriptions) {
                writeSubscription(out, subscription, withSecret);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    static byte[] delivery(Notification notification) {
        return write(out -> writeDelivery(out, notification));
    }

    /** A page of delivery records, newest first, with the absolute URL of the next page or null. */
    static byte[] deliveryList(List<Notification> page, Optional<String> next) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "notification.list");
            out.writeArrayFieldStart("data");
            for (Notification notification : page) {
                writeDelivery(out, notification);
            }
            out.writeEndArray();
            out.writeObjectFieldStart("pages");
            writeOptional(out, "next", next);
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    private static void writeSubscription(JsonGenerator out, Subscription subscription, boolean withSecret)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "notification_subscription");
        out.writeStringField("id", subscription.id().value());
        out.writeStringField("service_type", "web");
        out.writeArrayFieldStart("topics");
        out.writeString(Topic.EVENT_CREATED.wireName());
        out.writeEndArray();
        out.writeStringField("url", subscription.url());
        out.writeObjectFieldStart("metadata");
        out.writeArrayFieldStart("event_names");
        for (EventName name : subscription.eventNames()) {
            out.writeString(name.value());
        }
        out.writeEndArray();
        out.writeEndObject();
        writeOptional(out, "hub_secret", withSecret ? Optional.of(subscription.hubSecret()) : Optional.empty());
        out.writeBooleanField("active", subscription.active());
        writeOptional(out, "inactive_reason", subscription.inactiveReason());
        out.writeNumberField("created_at", subscription.createdAt().getEpochSecond());
        writeOptional(out, "segment_id", subscription.segmentId().map(SegmentId::value));
        out.writeEndObject();
    }

    /** A notification and where its delivery stands, for the deliveries list and resend. */
    private static void writeDelivery(JsonGenerator out, Notification notification) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "notification");
        out.writeStringField("id", notification.id().value());
        out.writeStringField("subscription_id", notification.subscriptionId().value());
        out.writeStringField("topic", notification.topic().wireName());
        if (notification.event().isPresent()) {
            out.writeStringField("event_id", notification.event().get().id().value());
            out.writeStringField("event_name", notification.event().get().name().value());
        } else {
            out.writeNullField("event_id");
            out.writeNullField("event_name");
        }
        out.writeStringField("delivery_status", notification.status().wireName());
        out.writeNumberField("delivery_attempts", notification.attempts());
        out.writeNumberField("created_at", notification.createdAt().getEpochSecond());
        writeSeconds(out, "first_sent_at", notification.firstSentAt());
        writeSeconds(out, "last_attempt_at", notification.lastAttemptAt());
        writeSeconds(out, "delivered_at", notification.deliveredAt());
        writeSeconds(
                out,
                "next_attempt_at",
                notification.status() == DeliveryStatus.PENDING
                        ? Optional.of(notification.nextAttemptAt())
                        : Optional.empty());
        if (notification.lastResponseCode().isPresent()) {
            out.writeNumberField(
                    "last_response_code", notification.lastResponseCode().getAsInt());
        } else {
            out.writeNullField("last_response_code");
        }
        writeOptional(out, "last_response", notification.lastResponse());
        out.writeEndObject();
    }

    private static void writeSeconds(JsonGenerator out, String field, Optional<Instant> value) throws IOException {
        if (value.isPresent()) {
            out.writeNumberField(field, value.get().getEpochSecond());
        } else {
            out.writeNullField(field);
        }
    }

    static byte[] eventSummary(Contact contact, List<EventSummary> summaries) {
        return write(out -> {
            out.writeStartObject();
            field(out, TYPE, "event.summary");
            field(out, EMAIL, contactEmail(contact));
            field(out, INTERCOM_USER_ID, contact.id().value());
            field(out, USER_ID, contact.externalId());
            out.writeArrayFieldStart("events");
            for (EventSummary summary : summaries) {
                out.writeStartObject();
                field(out, NAME, summary.name().value());
                field(out, FIRST, summaryTime(summary.first()));
                field(out, LAST, summaryTime(summary.last()));
                out.writeFieldName(COUNT);
                out.writeNumber(summary.count());
                out.writeFieldName(DESCRIPTION);
                out.writeNull();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.000Z}, written by hand for the four-digit years every event has
     * ({@link DateTimeFormatter} cost more than the rest of the summary's JSON).
     */
    static String summaryTime(long epochSecond) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        if (time.getYear() > 9999) {
            return SUMMARY_TIME.format(Instant.ofEpochSecond(epochSecond));
        }
        char[] out = "0000-00-00T00:00:00.000Z".toCharArray();
        digits(out, 0, time.getYear(), 4);
        digits(out, 5, time.getMonthValue(), 2);
        digits(out, 8, time.getDayOfMonth(), 2);
        digits(out, 11, time.getHour(), 2);
        digits(out, 14, time.getMinute(), 2);
        digits(out, 17, time.getSecond(), 2);
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void field(JsonGenerator out, SerializedString name, String value) throws IOException {
        out.writeFieldName(name);
        out.writeString(value);
    }

    private static void field(JsonGenerator out, SerializedString name, Optional<String> value) throws IOException {
        out.writeFieldName(name);
        writeOptionalValue(out, value);
    }

    /**
     * {@code GET /stats/overview}, and the data the dashboard's overview chart is drawn from: one
     * writer for both, so the chart and the API cannot disagree.
     */
    public static byte[] overview(Overview overview) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "overview");
            out.writeArrayFieldStart("days");
            for (java.time.LocalDate day : overview.days()) {
                out.writeString(day.toString());
            }
            out.writeEndArray();
            writeLongs(out, "total", overview.totalEvents());
            out.writeArrayFieldStart("names");
            for (Map.Entry<EventName, List<Long>> entry :
                    overview.eventsByName().entrySet()) {
                out.writeStartObject();
                out.writeStringField("name", entry.getKey().value());
                writeLongs(out, "counts", entry.getValue());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("top_names");
            for (Overview.NameCount top : overview.topNames()) {
                out.writeStartObject();
                out.writeStringField("name", top.name().value());
                out.writeNumberField("count", top.count());
                out.writeEndObject();
            }
            out.writeEndArray();
            writeLongs(out, "new_contacts", overview.newContacts());
            out.writeEndObject();
        });
    }

    private static void writeLongs(JsonGenerator out, String field, List<Long> values) throws IOException {
        out.writeArrayFieldStart(field);
        for (long value : values) {
            out.writeNumber(value);
        }
        out.writeEndArray();
    }

    static byte[] contact(Contact contact) {
        return write(out -> writeContact(out, contact));
    }

    /**
     * Intercom's full 2.x contact, as its descriptions (2.7-2.16) and their recorded examples have
     * it. Tally keeps the identity fields; every other field has the empty value Intercom gives a
     * contact without that data: null, false, {@code {}}, or an empty list object.
     */
    private static void writeContact(JsonGenerator out, Contact contact) throws IOException {
        String path = "/contacts/" + contact.id().value();
        out.writeStartObject();
        out.writeStringField("type", "contact");
        out.writeStringField("id", contact.id().value());
        out.writeStringField("workspace_id", contact.workspaceId().value());
        writeOptional(out, "external_id", contact.externalId());
        out.writeStringField("role", contact.role().wireName());
        out.writeStringField("email", contactEmail(contact));
        out.writeNullField("phone");
        writeOptional(out, "name", contact.name());
        out.writeNullField("avatar");
        out.writeNullField("owner_id");
        out.writeObjectFieldStart("social_profiles");
        out.writeStringField("type", "list");
        out.writeArrayFieldStart("data");
        out.writeEndArray();
        out.writeEndObject();
        out.writeBooleanField("has_hard_bounced", false);
        out.writeBooleanField("marked_email_as_spam", false);
        out.writeBooleanField("unsubscribed_from_emails", false);
        out.writeNumberField("created_at", contact.createdAt().getEpochSecond());
        out.writeNumberField("updated_at", contact.updatedAt().getEpochSecond());
        writeNulls(out, CONTACT_ACTIVITY_FIELDS);
        out.writeObjectFieldStart("location");
        out.writeStringField("type", "location");
        writeNulls(out, LOCATION_FIELDS);
        out.writeEndObject();
        writeNulls(out, CONTACT_DEVICE_FIELDS);
        out.writeObjectFieldStart("custom_attributes");
        out.writeEndObject();
        emptyList(out, "tags", path + "/tags");
        emptyList(out, "notes", path + "/notes");
        emptyList(out, "companies", path + "/companies");
        emptyList(out, "opted_out_subscription_types", path + "/subscriptions");
        emptyList(out, "opted_in_subscription_types", path + "/subscriptions");
        writeNulls(out, CONTACT_ATTRIBUTION_FIELDS);
        out.writeEndObject();
    }

    /**
     * A contact's email; {@code ""} when it has none. Every description types {@code email} as a
     * non-nullable string, and the examples Intercom recorded from its own API give a record without
     * an email {@code "email": ""} beside {@code "phone": null} (see docs/api.md).
     */
    static String contactEmail(Contact contact) {
        return contact.email().orElse("");
    }

    private static void emptyList(JsonGenerator out, String field, String url) throws IOException {
        out.writeObjectFieldStart(field);
        out.writeStringField("type", "list");
        out.writeArrayFieldStart("data");
        out.writeEndArray();
        out.writeStringField("url", url);
        out.writeNumberField("total_count", 0);
        out.writeBooleanField("has_more", false);
        out.writeEndObject();
    }

    private static void writeNulls(JsonGenerator out, List<String> fields) throws IOException {
        for (String field : fields) {
            out.writeNullField(field);
        }
    }

    static byte[] deletedContact(Contact contact) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "contact");
            out.writeStringField("id", contact.id().value());
            writeOptional(out, "external_id", contact.externalId());
            out.writeBooleanField("deleted", true);
            out.writeEndObject();
        });
    }

    private static void writeWorkspace(JsonGenerator out, Workspace workspace) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "workspace");
        out.writeStringField("id", workspace.id().value());
        out.writeStringField("name", workspace.name());
        out.writeNumberField("created_at", workspace.createdAt().getEpochSecond());
        if (workspace.rateLimitPerMinute().isPresent()) {
            out.writeNumberField(
                    "rate_limit_per_minute", workspace.rateLimitPerMinute().getAsLong());
        } else {
            out.writeNullField("rate_limit_per_minute");
        }
        BrowserSettings browser = workspace.browser();
        out.writeStringField("app_id", browser.appId().value());
        out.writeStringField(
                "identity_verification_secret", browser.identitySecret().value());
        out.writeBooleanField("enforce_identity_verification", browser.enforceIdentityVerification());
        out.writeArrayFieldStart("allowed_origins");
        for (String origin : browser.allowedOrigins()) {
            out.writeString(origin);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** A token's public fields; {@code secret} only in the answer that created it. */
    private static void writeToken(JsonGenerator out, AccessToken token, Optional<String> secret) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "access_token");
        out.writeStringField("id", token.id().value());
        out.writeStringField("workspace_id", token.workspaceId().value());
        out.writeArrayFieldStart("scopes");
        for (Scope scope :
                token.scopes().stream().sorted(Comparator.naturalOrder()).toList()) {
            out.writeString(scope.wireName());
        }
        out.writeEndArray();
        out.writeStringField("label", token.label());
        out.writeNumberField("created_at", token.createdAt().getEpochSecond());
        if (token.revokedAt().isPresent()) {
            out.writeNumberField("revoked_at", token.revokedAt().get().getEpochSecond());
        } else {
            out.writeNullField("revoked_at");
        }
        if (secret.isPresent()) {
            out.writeStringField("token", secret.get());
        }
        out.writeEndObject();
    }

    private static void writeOptional(JsonGenerator out, String field, Optional<String> value) throws IOException {
        out.writeFieldName(field);
        writeOptionalValue(out, value);
    }

    private static void writeOptionalValue(JsonGenerator out, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            out.writeString(value.get());
        } else {
            out.writeNull();
        }
    }

    /**
     * Exported events as NDJSON, each line in the shape {@code POST /events} takes: the contact by
     * {@code user_id}, else a user's {@code email}, else {@code id} (leads).
     */
    static byte[] exportLines(List<ExportService.Exported> events) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(256, events.size() * 128));
        for (ExportService.Exported exported : events) {
            Contact contact = exported.contact();
            DataEvent event = exported.event();
            try (JsonGenerator out = TallyJson.mapper().getFactory().createGenerator(body)) {
                out.writeStartObject();
                out.writeFieldName(EVENT_NAME);
                out.writeString(event.name().value());
                out.writeFieldName(CREATED_AT);
                out.writeNumber(event.createdAt());
                if (contact.externalId().isPresent()) {
                    out.writeFieldName(USER_ID);
                    out.writeString(contact.externalId().get());
                } else if (contact.email().isPresent() && contact.role() == Role.USER) {
                    out.writeFieldName(EMAIL);
                    out.writeString(contact.email().get());
                } else {
                    out.writeFieldName(ID);
                    out.writeString(contact.id().value());
                }
                out.writeFieldName(METADATA);
                MetadataJson.write(out, event.metadata());
                out.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            body.write('\n');
        }
        return body.toByteArray();
    }

    /** A bulk job as Intercom's clients read it; its links point at this server. */
    static byte[] job(BulkJob job, String baseUrl) {
        return write(out -> writeJob(out, job, baseUrl));
    }

    private static void writeJob(JsonGenerator out, BulkJob job, String baseUrl) throws IOException {
        String self = baseUrl + "/jobs/" + UrlText.encode(job.id());
        out.writeStartObject();
        out.writeStringField("type", "job");
        out.writeStringField("id", job.id());
        out.writeStringField("app_id", job.workspaceId().value());
        out.writeStringField("name", "api_bulk_job");
        out.writeStringField("state", "completed");
        out.writeNumberField("created_at", job.createdAt());
        out.writeNumberField("updated_at", job.updatedAt());
        out.writeNumberField("closing_at", job.closingAt());
        out.writeNumberField("completed_at", job.completedAt());
        out.writeObjectFieldStart("links");
        out.writeStringField("self", self);
        out.writeStringField("error", self + "/error");
        out.writeEndObject();
        out.writeArrayFieldStart("tasks");
        for (BulkJob.Task task : job.tasks()) {
            out.writeStartObject();
            out.writeStringField("type", "job_task");
            out.writeStringField("id", task.id());
            out.writeNumberField("item_count", task.itemCount());
            out.writeStringField("state", "completed");
            out.writeNumberField("created_at", task.createdAt());
            out.writeNumberField("started_at", task.createdAt());
            out.writeNumberField("completed_at", task.completedAt());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** A job's failed items ({@code GET /jobs/{id}/error}), each with its first error. */
    static byte[] jobItems(List<BulkJob.FailedItem> failures) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "job_item.list");
            out.writeArrayFieldStart("items");
            for (BulkJob.FailedItem item : failures) {
                out.writeStartObject();
                out.writeStringField("type", "job_item");
                out.writeStringField("id", item.id());
                out.writeNumberField("updated_at", item.updatedAt());
                out.writeStringField("method", "post");
                out.writeStringField("data_type", "event");
                out.writeFieldName("data");
                TallyJson.mapper().writeTree(out, item.data());
                out.writeObjectFieldStart("error");
                out.writeStringField("type", "error");
                out.writeStringField("code", item.errors().get(0).code().wireCode());
                out.writeStringField("message", item.errors().get(0).message());
                if (item.errors().get(0).field().isPresent()) {
                    out.writeStringField("field", item.errors().get(0).field().get());
                }
                out.writeEndObject();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeObjectFieldStart("pages");
            out.writeNullField("next");
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /** The answer to a batch: totals, then one result per event in the order sent. */
    static byte[] batchResults(List<EventOutcome> outcomes) {
        long accepted = outcomes.stream()
                .filter(o -> o instanceof EventOutcome.Accepted a && a.status() == AppendResult.Status.STORED)
                .count();
        long duplicates = outcomes.stream()
                .filter(o -> o instanceof EventOutcome.Accepted a && a.status() == AppendResult.Status.DUPLICATE)
                .count();
        long rejected = outcomes.size() - accepted - duplicates;
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "event.batch_result");
            out.writeNumberField("accepted", accepted);
            out.writeNumberField("duplicates", duplicates);
            out.writeNumberField("rejected", rejected);
            out.writeArrayFieldStart("results");
            for (int i = 0; i < outcomes.size(); i++) {
                out.writeStartObject();
                out.writeNumberField("index", i);
                switch (outcomes.get(i)) {
                    case EventOutcome.Accepted a -> {
                        out.writeStringField(
                                "status", a.status() == AppendResult.Status.STORED ? "accepted" : "duplicate");
                        if (!a.ignoredKeys().isEmpty()) {
                            out.writeArrayFieldStart("ignored_keys");
                            for (String key : a.ignoredKeys()) {
                                out.writeString(key);
                            }
                            out.writeEndArray();
                        }
                    }
                    case EventOutcome.Rejected r -> {
                        out.writeStringField("status", "rejected");
                        writeErrors(out, r.errors());
                    }
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /**
     * Intercom's contact list: a page of contacts, how many there are in all, and the next cursor;
     * {@code fetched} holds one more than {@code perPage} when there is a next page.
     */
    static byte[] contactList(List<Contact> fetched, int perPage, long totalCount) {
        List<Contact> page = fetched.size() > perPage ? fetched.subList(0, perPage) : fetched;
        boolean more = fetched.size() > perPage;
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "list");
            out.writeArrayFieldStart("data");
            for (Contact contact : page) {
                writeContact(out, contact);
            }
            out.writeEndArray();
            out.writeNumberField("total_count", totalCount);
            out.writeObjectFieldStart("pages");
            out.writeStringField("type", "pages");
            out.writeNumberField("per_page", perPage);
            if (more) {
                out.writeObjectFieldStart("next");
                out.writeStringField(
                        "starting_after", page.get(page.size() - 1).id().value());
                out.writeEndObject();
            } else {
                out.writeNullField("next");
            }
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /** What {@code POST /admin/backups} made. */
    static byte[] backup(String directory, long files, long bytes, long tookMillis) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "backup");
            out.writeStringField("directory", directory);
            out.writeNumberField("files", files);
            out.writeNumberField("bytes", bytes);
            out.writeNumberField("took_ms", tookMillis);
            out.writeEndObject();
        });
    }

    static byte[] workspace(Workspace workspace) {
        return write(out -> writeWorkspace(out, workspace));
    }

    static byte[] workspaceList(List<Workspace> workspaces) {
        return write(out -> writeList(out, workspaces, WireJson::writeWorkspace));
    }

    /** A new workspace and, when one was issued, its first token with the secret. */
    static byte[] createdWorkspace(Workspace workspace, Optional<IssuedToken> token) {
        return write(out -> {
            out.writeStartObject();
            out.writeFieldName("workspace");
            writeWorkspace(out, workspace);
            if (token.isPresent()) {
                out.writeFieldName("access_token");
                writeToken(out, token.get().token(), Optional.of(token.get().secret()));
            }
            out.writeEndObject();
        });
    }

    /** A token's public fields; {@code secret} only in the answer that created it. */
    static byte[] token(AccessToken token, Optional<String> secret) {
        return write(out -> writeToken(out, token, secret));
    }

    static byte[] tokenList(List<AccessToken> tokens) {
        return write(
                out -> writeList(out, tokens, (generator, token) -> writeToken(generator, token, Optional.empty())));
    }

    @FunctionalInterface
    private interface ItemWriter<T> {
        void write(JsonGenerator out, T item) throws IOException;
    }

    /** {@code {"type":"list","data":[...]}}. */
    private static <T> void writeList(JsonGenerator out, List<T> items, ItemWriter<T> item) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "list");
        out.writeArrayFieldStart("data");
        for (T each : items) {
            item.write(out, each);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    // ---- event catalog, segments, contact search

    static byte[] catalog(List<CatalogEntry> entries) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "event_catalog.list");
            out.writeArrayFieldStart("data");
            for (CatalogEntry entry : entries) {
                writeEntry(out, entry);
            }
            out.writeEndArray();
            out.writeNumberField("total_count", entries.size());
            out.writeEndObject();
        });
    }

    static byte[] catalogEntry(CatalogEntry entry) {
        return write(out -> writeEntry(out, entry));
    }

    private static void writeEntry(JsonGenerator out, CatalogEntry entry) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "event_catalog.entry");
        out.writeStringField("event_name", entry.name().value());
        out.writeNumberField("count", entry.count());
        out.writeNumberField("contacts", entry.contacts());
        // No event was ever stored only for a name whose catalog row was backfilled empty.
        if (entry.firstSeen() <= entry.lastSeen()) {
            out.writeNumberField("first_seen_at", entry.firstSeen());
            out.writeNumberField("last_seen_at", entry.lastSeen());
        } else {
            out.writeNullField("first_seen_at");
            out.writeNullField("last_seen_at");
        }
        out.writeBooleanField("archived", entry.archived());
        out.writeArrayFieldStart("metadata");
        for (Map.Entry<String, Set<KeyType>> key : entry.keys().entrySet()) {
            out.writeStartObject();
            out.writeStringField("key", key.getKey());
            out.writeArrayFieldStart("types");
            for (KeyType type : key.getValue()) {
                out.writeString(type.wireName());
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    static byte[] segment(Segment segment, OptionalLong count) {
        return write(out -> writeSegment(out, segment, count));
    }

    /** Intercom's {@code segment.list}; {@code counts} parallel to {@code segments} or empty. */
    static byte[] segmentList(List<Segment> segments, List<OptionalLong> counts) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "segment.list");
            out.writeArrayFieldStart("segments");
            for (int i = 0; i < segments.size(); i++) {
                writeSegment(out, segments.get(i), counts.get(i));
            }
            out.writeEndArray();
            out.writeObjectFieldStart("pages");
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /** {@code GET /contacts/{id}/segments}: Intercom's plain list. */
    static byte[] contactSegments(List<Segment> segments) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "list");
            out.writeArrayFieldStart("data");
            for (Segment segment : segments) {
                writeSegment(out, segment, OptionalLong.empty());
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private static void writeSegment(JsonGenerator out, Segment segment, OptionalLong count) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "segment");
        out.writeStringField("id", segment.id().value());
        out.writeStringField("name", segment.name());
        out.writeNumberField("created_at", segment.createdAt().getEpochSecond());
        out.writeNumberField("updated_at", segment.updatedAt().getEpochSecond());
        out.writeStringField("person_type", segment.personType());
        if (count.isPresent()) {
            out.writeNumberField("count", count.getAsLong());
        }
        out.writeFieldName("query");
        out.writeRawValue(segment.queryJson());
        out.writeEndObject();
    }

    /** A search answer: {@code list} with {@code total_count} and Intercom's {@code pages}. */
    static byte[] searchPage(SearchService.SearchPage page, int perPage) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "list");
            out.writeArrayFieldStart("data");
            for (Contact contact : page.contacts()) {
                writeContact(out, contact);
            }
            out.writeEndArray();
            out.writeNumberField("total_count", page.totalCount());
            out.writeObjectFieldStart("pages");
            out.writeStringField("type", "pages");
            out.writeNumberField("page", page.page());
            out.writeNumberField("per_page", perPage);
            out.writeNumberField("total_pages", page.totalPages(perPage));
            if (page.next().isPresent()) {
                out.writeObjectFieldStart("next");
                out.writeNumberField("page", page.page() + 1);
                out.writeNumberField("per_page", perPage);
                out.writeStringField("starting_after", page.next().get().value());
                out.writeEndObject();
            } else {
                out.writeNullField("next");
            }
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /** {@code DELETE /segments/{id}}. */
    static byte[] deletedSegment(Segment segment) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "segment");
            out.writeStringField("id", segment.id().value());
            out.writeBooleanField("deleted", true);
            out.writeEndObject();
        });
    }
}
