package dev.tally.server.http;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.InputText;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.event.EventOutcome;
import dev.tally.server.config.BrowserConfig;
import dev.tally.service.BrowserEventService;
import dev.tally.service.WorkspaceService;
import dev.tally.workspace.AppId;
import dev.tally.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * What web pages call: {@code GET /widget/{app_id}}, the script that stands in for Intercom's
 * Messenger, and {@code POST /browser/{app_id}/events} (with its CORS preflight), where that script
 * sends events. The app id is public, so the endpoint can only add events, never read; it answers
 * only pages of the workspace's allowed origins, and has its own rate limits per app id and per
 * client address. The wire shape is in docs/api.md.
 */
public final class BrowserApi {
    /** The script, a resource of this jar: served as written, gzipped when the browser accepts it. */
    static final String SCRIPT_RESOURCE = "/widget/tally-widget.js";

    /** Browsers may use the script this long before asking again (with its ETag: usually a 304). */
    private static final Duration SCRIPT_MAX_AGE = Duration.ofMinutes(5);

    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern VISITOR_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int MAX_IDENTIFIER_LENGTH = 255;

    private final WorkspaceService workspaces;
    private final BrowserEventService browserEvents;
    private final BrowserConfig config;
    private final WindowCounter<AppId> perApp;
    private final WindowCounter<String> perAddress;
    private final Script script;
    private final Clock clock;

    public BrowserApi(
            WorkspaceService workspaces, BrowserEventService browserEvents, BrowserConfig config, Clock clock) {
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.browserEvents = requireNonNull(browserEvents, "browserEvents is null");
        this.config = requireNonNull(config, "config is null");
        this.perApp = new WindowCounter<>(clock, Duration.ofSeconds(10));
        this.perAddress = new WindowCounter<>(clock, Duration.ofSeconds(10));
        this.script = Script.load();
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/widget/{app_id}", Access.PUBLIC, this::widget),
                new Route("POST", "/browser/{app_id}/events", Access.PUBLIC, this::events),
                new Route("OPTIONS", "/browser/{app_id}/events", Access.PUBLIC, this::preflight));
    }

    // ---- the script

    /** The script's bytes, gzipped form and validator, made once at start. */
    record Script(byte[] plain, byte[] gzipped, String etag) {
        static Script load() {
            byte[] plain;
            try (InputStream in = BrowserApi.class.getResourceAsStream(SCRIPT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "the widget script " + SCRIPT_RESOURCE + " is missing from the jar");
                }
                plain = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
                out.write(plain);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(plain);
                String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
                return new Script(plain, gzipped.toByteArray(), etag);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }
    }

    /**
     * The same script for every app (it reads the app id from {@code intercomSettings} or its own
     * URL), so one cached copy serves them all; an unknown app id is a 404, so a typo shows in the
     * browser's console rather than as events that silently go nowhere.
     */
    ApiResponse widget(ApiRequest request) {
        workspace(request);
        ApiResponse response;
        boolean notModified = request.header("If-None-Match")
                .map(tags -> tags.contains(script.etag()) || tags.strip().equals("*"))
                .orElse(false);
        if (notModified) {
            response = ApiResponse.empty(304);
        } else if (request.header("Accept-Encoding")
                .map(BrowserApi::acceptsGzip)
                .orElse(false)) {
            response = new ApiResponse(200, java.util.Map.of("Content-Encoding", "gzip"), script.gzipped());
        } else {
            response = new ApiResponse(200, java.util.Map.of(), script.plain());
        }
        return response.withHeader("Content-Type", "text/javascript; charset=utf-8")
                .withHeader("Cache-Control", "public, max-age=" + SCRIPT_MAX_AGE.toSeconds())
                .withHeader("ETag", script.etag())
                .withHeader("Vary", "Accept-Encoding")
                .withHeader("X-Content-Type-Options", "nosniff")
                // Pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
                .withHeader("Cross-Origin-Resource-Policy", "cross-origin");
    }

    static boolean acceptsGzip(String acceptEncoding) {
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.strip().split(";");
            if (parts[0].strip().equalsIgnoreCase("gzip")) {
                return parts.length < 2 || !parts[1].replace(" ", "").equals("q=0");
            }
        }
        return false;
    }

    // ---- events

    /**
     * A page's batch. Errors carry the CORS headers too (for an allowed origin), so the script can
     * read the status and tell a retryable failure from one that is not.
     */
    ApiResponse events(ApiRequest request) {
        Workspace workspace = workspace(request);
        Optional<String> origin = allowedOrigin(request, workspace);
        ApiResponse response;
        try {
            checkRateLimits(workspace.browser().appId(), request.clientAddress());
            BrowserEventService.Batch batch = batch(ApiRequest.readJson(request.body()));
            List<EventOutcome> outcomes = browserEvents.submit(workspace, batch);
            response = ApiResponse.json(200, WireJson.batchResults(outcomes));
        } catch (RateLimited limited) {
            response = ApiResponse.json(
                            429,
                            WireJson.errorList(
                                    request.requestId(),
                                    List.of(TallyError.of(
                                            ErrorCode.RATE_LIMIT_EXCEEDED,
                                            requireNonNullElse(limited.getMessage(), "rate limit exceeded")))))
                    .withHeader("Retry-After", Long.toString(limited.retryAfterSeconds));
        } catch (TallyException e) {
            response = ApiHandler.errorResponse(request.requestId(), e);
        }
        return withCors(response, origin).withHeader("Access-Control-Expose-Headers", "Retry-After");
    }

    /** The preflight of a page that sends JSON with its own Content-Type: allowed origins only. */
    ApiResponse preflight(ApiRequest request) {
        Workspace workspace = workspace(request);
        Optional<String> origin = allowedOrigin(request, workspace);
        if (origin.isEmpty()) {
            throw new TallyException(ErrorCode.ACTION_FORBIDDEN, "a preflight needs an Origin header", "Origin");
        }
        return withCors(ApiResponse.empty(204), origin)
                .withHeader("Access-Control-Allow-Methods", "POST")
                .withHeader("Access-Control-Allow-Headers", "Content-Type")
                .withHeader("Access-Control-Max-Age", "600");
    }

    private static ApiResponse withCors(ApiResponse response, Optional<String> origin) {
        ApiResponse answer = response.withHeader("Vary", "Origin");
        return origin.map(allowed -> answer.withHeader("Access-Control-Allow-Origin", allowed))
                .orElse(answer);
    }

    /**
     * The page's origin if the workspace allows it; empty when the request has none (not a browser
     * page: curl, a server, the benchmark). A browser always sends {@code Origin} with a
     * cross-origin POST, beacons included, so a page of another site cannot add events even with a
     * simple request that needs no preflight: it is refused here, before anything is stored.
     */
    private static Optional<String> allowedOrigin(ApiRequest request, Workspace workspace) {
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        if (!workspace.browser().allowsOrigin(origin.get().strip())) {
            throw new TallyException(
                    ErrorCode.ACTION_FORBIDDEN,
                    "origin " + InputText.abbreviate(origin.get()) + " is not allowed for this app; add it with"
                            + " 'tally admin set-origins'",
                    "Origin");
        }
        return Optional.of(origin.get().strip());
    }

    private Workspace workspace(ApiRequest request) {
        String raw = request.pathParameter("app_id");
        return AppId.parse(raw)
                .flatMap(workspaces::findByAppId)
                .orElseThrow(() -> new TallyException(
                        ErrorCode.NOT_FOUND, "No such app_id[" + InputText.abbreviate(raw) + "]", "app_id"));
    }

    private static final class RateLimited extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long retryAfterSeconds;

        RateLimited(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private void checkRateLimits(AppId appId, String clientAddress) {
        if (config.perAddressPerMinute() > 0) {
            WindowCounter.Count count =
                    perAddress.take(clientAddress, perAddress.perWindow(config.perAddressPerMinute()));
            if (count.exceeded()) {
                throw limited("this address", config.perAddressPerMinute(), count);
            }
        }
        if (config.perAppPerMinute() > 0) {
            WindowCounter.Count count = perApp.take(appId, perApp.perWindow(config.perAppPerMinute()));
            if (count.exceeded()) {
                throw limited("this app", config.perAppPerMinute(), count);
            }
        }
    }

    private RateLimited limited(String who, long perMinute, WindowCounter.Count count) {
        long retryAfter = Math.max(1, count.resetEpochSeconds() - clock.millis() / 1000);
        return new RateLimited(
                "Rate limit of " + perMinute + " browser calls per minute for " + who + " exceeded; retry after "
                        + retryAfter + "s",
                retryAfter);
    }

    // ---- the wire shape

    private static BrowserEventService.Batch batch(JsonNode body) {
        if (!body.isObject()) {
            throw TallyException.invalid("body", "a browser batch is a JSON object");
        }
        String batchId = text(body, "batch_id")
                .filter(id -> BATCH_ID.matcher(id).matches())
                .orElseThrow(() -> TallyException.invalid("batch_id", "batch_id must be 8-64 of [A-Za-z0-9_-]"));
        Optional<String> visitorId = text(body, "visitor_id");
        if (visitorId.isPresent() && !VISITOR_ID.matcher(visitorId.get()).matches()) {
            throw TallyException.invalid("visitor_id", "visitor_id must be 8-64 of [A-Za-z0-9_-]");
        }
        BrowserEventService.Identity identity = new BrowserEventService.Identity(
                visitorId, text(body, "user_id"), text(body, "email"), text(body, "name"), text(body, "user_hash"));
        JsonNode events = body.get("events");
        List<JsonNode> list = new ArrayList<>();
        if (events != null && !events.isNull()) {
            if (!events.isArray()) {
                throw TallyException.invalid("events", "events must be a list");
            }
            events.forEach(list::add);
        }
        return new BrowserEventService.Batch(batchId, identity, list);
    }

    /** A string field; numbers are taken for {@code user_id}, as {@code POST /events} does. */
    private static Optional<String> text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() && !(node.isIntegralNumber() && field.equals("user_id"))) {
            throw TallyException.invalid(field, field + " must be a string");
        }
        String value = node.asText();
        if (value.length() > MAX_IDENTIFIER_LENGTH || InputText.hasControlCharacter(value)) {
            throw TallyException.invalid(
                    field,
                    field + " must be at most " + MAX_IDENTIFIER_LENGTH + " characters without control characters");
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
