package dev.tally.server.http;

import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Intercom-Version} a request asks for: optional; 1.0-1.4, 2.0-2.16, Unstable or
 * Preview. Where Intercom's versions answer differently, Tally answers as the requested one. A
 * request without the header is answered as the newest numbered version (2.16), as Intercom answers
 * an app that never pinned an older one; Unstable and Preview are at least as new.
 */
record IntercomVersion(int major, int minor) {
    static final IntercomVersion NEWEST = new IntercomVersion(2, 16);
    private static final Pattern NUMBERED = Pattern.compile("(1)\\.([0-4])|(2)\\.([0-9]|1[0-6])");

    static IntercomVersion parse(Optional<String> header) {
        if (header.isEmpty()) {
            return NEWEST;
        }
        String version = header.get().strip();
        if (version.equals("Unstable") || version.equals("Preview")) {
            return NEWEST;
        }
        Matcher numbered = NUMBERED.matcher(version);
        if (numbered.matches()) {
            return numbered.group(1) != null
                    ? new IntercomVersion(1, Integer.parseInt(numbered.group(2)))
                    : new IntercomVersion(2, Integer.parseInt(numbered.group(4)));
        }
        String shown = version.length() > 20 ? version.substring(0, 20) + "…" : version;
        throw new TallyException(
                ErrorCode.INTERCOM_VERSION_INVALID,
                "Intercom-Version '" + shown + "' is not supported; use 1.0-1.4, 2.0-2.16, Unstable or Preview",
                "Intercom-Version");
    }

    boolean isAtLeast(IntercomVersion other) {
        return major != other.major ? major > other.major : minor >= other.minor;
    }

    /**
     * A merged lead's old id: 410 {@code contact_merged} with a {@code Link} to the user from 2.16 on;
     * before, Intercom documents a plain 404.
     */
    boolean answersMergedContactsGone() {
        return isAtLeast(NEWEST);
    }
}
