package dev.tally.server.http;

import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code Intercom-Version} header: optional; 1.0-1.4, 2.0-2.16, Unstable or Preview. */
final class IntercomVersion {
    private static final Pattern NUMBERED = Pattern.compile("(1\\.[0-4])|(2\\.([0-9]|1[0-6]))");

    private IntercomVersion() {}

    static void check(Optional<String> header) {
        if (header.isEmpty()) {
            return;
        }
        String version = header.get().strip();
        if (version.equals("Unstable")
                || version.equals("Preview")
                || NUMBERED.matcher(version).matches()) {
            return;
        }
        String shown = version.length() > 20 ? version.substring(0, 20) + "…" : version;
        throw new TallyException(
                ErrorCode.INTERCOM_VERSION_INVALID,
                "Intercom-Version '" + shown + "' is not supported; use 1.0-1.4, 2.0-2.16, Unstable or Preview",
                "Intercom-Version");
    }
}
