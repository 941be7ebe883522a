package dev.tally.workspace;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * How a workspace takes events from browsers: its public {@code app_id}, the identity-verification
 * secret, the page origins allowed to call (CORS), and whether a user's identity needs a valid
 * {@code user_hash} (on by default, as it should be: without it anyone can send events as any user).
 */
public record BrowserSettings(
        AppId appId, IdentitySecret identitySecret, List<String> allowedOrigins, boolean enforceIdentityVerification) {
    /** More origins than any site has; a bound so a workspace's record stays small. */
    public static final int MAX_ORIGINS = 100;

    public BrowserSettings {
        requireNonNull(appId, "appId is null");
        requireNonNull(identitySecret, "identitySecret is null");
        allowedOrigins = List.copyOf(allowedOrigins);
        if (allowedOrigins.size() > MAX_ORIGINS) {
            throw new IllegalArgumentException("at most " + MAX_ORIGINS + " allowed origins");
        }
        for (String origin : allowedOrigins) {
            if (!origin.equals(normalizeOrigin(origin))) {
                throw new IllegalArgumentException("not a normalized origin: " + origin);
            }
        }
    }

    /** A new workspace's settings: a fresh app id and secret, no origins yet, verification enforced. */
    public static BrowserSettings generate() {
        return new BrowserSettings(AppId.random(), IdentitySecret.random(), List.of(), true);
    }

    public BrowserSettings withIdentitySecret(IdentitySecret secret) {
        return new BrowserSettings(appId, secret, allowedOrigins, enforceIdentityVerification);
    }

    public BrowserSettings withAllowedOrigins(List<String> origins) {
        return new BrowserSettings(appId, identitySecret, origins, enforceIdentityVerification);
    }

    public BrowserSettings withEnforceIdentityVerification(boolean enforce) {
        return new BrowserSettings(appId, identitySecret, allowedOrigins, enforce);
    }

    /** True when a page of {@code origin} (as a browser sends it in {@code Origin}) may call. */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /**
     * An origin as browsers send it: {@code scheme://host[:port]}, lower-case, without a default
     * port, path, query or trailing slash. Throws {@link IllegalArgumentException} for anything else.
     */
    public static String normalizeOrigin(String text) {
        requireNonNull(text, "origin is null");
        String trimmed = text.strip();
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an origin: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("an origin is http:// or https:// and a host: " + text);
        }
        if (uri.getHost() == null
                || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an origin is scheme://host[:port] only, without a path: " + text);
        }
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** Each origin normalized, duplicates dropped, in the order given. */
    public static List<String> normalizeOrigins(List<String> origins) {
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            normalized.add(normalizeOrigin(origin));
        }
        return new ArrayList<>(normalized);
    }
}
