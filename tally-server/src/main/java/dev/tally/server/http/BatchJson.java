package dev.tally.server.http;

import dev.tally.event.AppendResult;
import dev.tally.event.EventOutcome;
import java.util.List;

/** The answer to a batch: totals, then one result per event in the order sent. */
final class BatchJson {
    private BatchJson() {}

    static byte[] results(List<EventOutcome> outcomes) {
        long accepted = outcomes.stream()
                .filter(o -> o instanceof EventOutcome.Accepted a && a.status() == AppendResult.Status.STORED)
                .count();
        long duplicates = outcomes.stream()
                .filter(o -> o instanceof EventOutcome.Accepted a && a.status() == AppendResult.Status.DUPLICATE)
                .count();
        long rejected = outcomes.size() - accepted - duplicates;
        return WireJson.write(out -> {
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
                        WireJson.writeErrors(out, r.errors());
                    }
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }
}
