package dev.tally.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.Contact;
import dev.tally.segment.Segment;
import dev.tally.service.SearchService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The wire shapes of the event catalog, segments and contact search answers. */
final class SegmentJson {
    private SegmentJson() {}

    static byte[] catalog(List<CatalogEntry> entries) {
        return WireJson.write(out -> {
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
        return WireJson.write(out -> writeEntry(out, entry));
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
        return WireJson.write(out -> writeSegment(out, segment, count));
    }

    /** Intercom's {@code segment.list}; {@code counts} parallel to {@code segments} or empty. */
    static byte[] segmentList(List<Segment> segments, List<OptionalLong> counts) {
        return WireJson.write(out -> {
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
        return WireJson.write(out -> {
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
        return WireJson.write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "list");
            out.writeArrayFieldStart("data");
            for (Contact contact : page.contacts()) {
                WireJson.writeContact(out, contact);
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
}
