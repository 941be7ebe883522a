package dev.tally.server.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of a path segment or a query value, in one place: every character but
 * {@code A-Z a-z 0-9 - _ . *} is encoded, a space as {@code %20} (never {@code +}, which a path
 * keeps literally). The decoding side is {@link ApiHandler}'s.
 */
public final class UrlText {
    private UrlText() {}

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
