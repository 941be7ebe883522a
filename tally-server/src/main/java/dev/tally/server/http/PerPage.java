package dev.tally.server.http;

import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import java.util.Optional;

/** A {@code per_page} value: a whole number in 1..max, the default when absent, a 400 otherwise. */
final class PerPage {
    private PerPage() {}

    static int parse(Optional<String> raw, int defaultPerPage, int max) {
        if (raw.isEmpty()) {
            return defaultPerPage;
        }
        try {
            int perPage = Integer.parseInt(raw.get());
            if (perPage >= 1 && perPage <= max) {
                return perPage;
            }
        } catch (NumberFormatException e) {
            // answered below with the allowed range
        }
        throw TallyException.invalid(
                "per_page",
                "per_page must be a whole number from 1 to " + max + ", got '" + InputText.abbreviate(raw.get()) + "'");
    }
}
