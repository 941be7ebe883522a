package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactMergedException;
import dev.tally.error.ErrorCode;
import dev.tally.error.InputText;
import dev.tally.error.StoreUnavailableException;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.server.config.ApiLimits;
import dev.tally.server.config.ClientTimeouts;
import dev.tally.workspace.RandomIds;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one place where HTTP meets Tally: gives every request an id, routes it, checks the version
 * header and the caller, reads the body within its limit, calls the route's handler, and turns
 * every failure into an {@code error.list} body. Handlers stay free of Jetty.
 */
public final class ApiHandler extends Handler.Abstract {
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("tally.access");
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Router router;
    private final Authenticator authenticator;
    private final ApiLimits limits;
    private final ClientTimeouts timeouts;
    private final Optional<String> publicUrl;
    private final List<ApiFilter> filters;
    private final Map<Route, RequestMetrics.RouteMeter> meters = new IdentityHashMap<>();
    private final RequestMetrics.RouteMeter unmatched;

    public ApiHandler(
            Router router,
            Authenticator authenticator,
            ApiLimits limits,
            ClientTimeouts timeouts,
            Optional<String> publicUrl,
            List<ApiFilter> filters,
            RequestMetrics metrics) {
        this.router = requireNonNull(router, "router is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null").map(url -> url.replaceAll("/+$", ""));
        this.filters = List.copyOf(filters);
        for (Route route : router.routes()) {
            meters.put(route, metrics.meter(route.method(), route.template()));
        }
        this.unmatched = metrics.meter("-", "unmatched");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String requestId = RandomIds.fastUuid();
        MDC.put("request_id", requestId);
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        ApiResponse answer;
        Optional<Caller> caller = Optional.empty();
        boolean bodyRead = false;
        RequestMetrics.RouteMeter meter = unmatched;
        IntercomVersion version = IntercomVersion.NEWEST;
        try {
            Router.Match match = router.route(method, path);
            meter = meters.getOrDefault(match.route(), unmatched);
            version = IntercomVersion.parse(singleHeader(request, "Intercom-Version"));
            Caller authenticated =
                    authenticator.authenticate(match.route().access(), singleHeader(request, "Authorization"));
            caller = Optional.of(authenticated);
            ApiFilter.Chain chain = new ApiFilter.Chain(filters, match.route().handler());
            Optional<String> contentType = singleHeader(request, "Content-Type");
            byte[] body = readBody(
                    request,
                    contentType,
                    match.route().batchBody() ? limits.maxBatchBodyBytes() : limits.maxBodyBytes(),
                    started);
            bodyRead = true;
            ApiRequest apiRequest = new ApiRequest(
                    method,
                    path,
                    match.pathParameters(),
                    query(request),
                    body,
                    contentType,
                    requestId,
                    baseUrl(request),
                    authenticated,
                    name -> Optional.ofNullable(request.getHeaders().get(name)),
                    Request.getRemoteAddr(request));
            answer = chain.proceed(apiRequest);
        } catch (TallyException e) {
            answer = errorResponse(requestId, e, version);
            if (e instanceof StoreUnavailableException) {
                LOG.warn("store unavailable: {}", e.getMessage(), e.getCause());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("unhandled failure on {} {}", method, path, e);
            answer = ApiResponse.json(
                    500,
                    WireJson.errorList(
                            requestId,
                            List.of(TallyError.of(
                                    ErrorCode.SERVER_ERROR,
                                    "An internal error occurred; it has been logged with this request_id"))));
        }
        for (ApiFilter filter : filters) {
            answer = filter.decorate(caller, answer);
        }
        if (!bodyRead && hasBody(request)) {
            // Refused before its body was read (no token, bad version, too large): say the connection
            // closes, so a client does not send its next request down a connection Jetty drops.
            answer = answer.withHeader("Connection", "close");
        }
        write(response, requestId, answer, callback);
        meter.record(answer.status(), System.nanoTime() - started);
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info(
                    "method={} path={} status={} duration_ms={} workspace={}",
                    method,
                    InputText.abbreviate(path, 200),
                    answer.status(),
                    (System.nanoTime() - started) / 1_000_000,
                    caller.filter(Caller.Tenant.class::isInstance)
                            .map(c -> ((Caller.Tenant) c).workspaceId().value())
                            .orElse("-"));
        }
        MDC.remove("request_id");
        return true;
    }

    /** An error answer for a request that names no {@code Intercom-Version}: the newest version's. */
    static ApiResponse errorResponse(String requestId, TallyException e) {
        return errorResponse(requestId, e, IntercomVersion.NEWEST);
    }

    static ApiResponse errorResponse(String requestId, TallyException e, IntercomVersion version) {
        if (e instanceof ContactMergedException merged && !version.answersMergedContactsGone()) {
            return errorResponse(
                    requestId,
                    new TallyException(ErrorCode.NOT_FOUND, "No such id[" + merged.merged() + "]", "id"),
                    version);
        }
        ApiResponse answer = ApiResponse.json(e.code().httpStatus(), WireJson.errorList(requestId, e.errors()));
        if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            answer = answer.withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        if (e instanceof ContactMergedException merged) {
            answer = answer.withHeader(
                    "Link", "</contacts/" + UrlText.encode(merged.into().value()) + ">; rel=\"canonical\"");
        }
        return answer;
    }

    private static void write(Response response, String requestId, ApiResponse answer, Callback callback) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(REQUEST_ID_HEADER, requestId);
        if (answer.body().length > 0) {
            headers.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        }
        answer.headers().forEach(headers::put);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** A header that must appear at most once: two Authorization headers are ambiguous, so a 400. */
    private static Optional<String> singleHeader(Request request, String name) {
        List<HttpField> fields = request.getHeaders().getFields(name);
        if (fields.size() > 1) {
            throw TallyException.invalid(
                    name, "header " + name + " was sent " + fields.size() + " times; send it once");
        }
        return fields.isEmpty() ? Optional.empty() : Optional.of(fields.get(0).getValue());
    }

    private byte[] readBody(Request request, Optional<String> contentType, long maxBytes, long started) {
        // Every method's body is read, even where it is ignored: a body left unread makes Jetty drop
        // the connection after the answer, under a client that may already be reusing it.
        if (!hasBody(request)) {
            return new byte[0];
        }
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        checkContentType(contentType);
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > 0) {
                // The length is known and within the limit: one array of exactly that size.
                byte[] body = new byte[(int) declared];
                int read = readAtRate(in, body, 0, body.length, started);
                if (read < body.length) {
                    throw TallyException.invalid("body", "the request body ended before its Content-Length");
                }
                return body;
            }
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
            byte[] body = new byte[Math.min(cap, 8192)];
            int length = 0;
            while (true) {
                if (length == body.length) {
                    if (length == cap) {
                        break;
                    }
                    body = java.util.Arrays.copyOf(body, (int) Math.min(cap, 2L * body.length));
                }
                int read = readAtRate(in, body, length, body.length - length, started);
                length += read;
                if (length < body.length) {
                    break;
                }
            }
            if (length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return length == body.length ? body : java.util.Arrays.copyOf(body, length);
        } catch (IOException e) {
            throw TallyException.invalid("body", "the request body could not be read: " + e.getMessage());
        }
    }

    /**
     * Reads up to {@code length} bytes (fewer only at the end of the body), refusing a body slower than
     * {@link ClientTimeouts}: after the grace it must have averaged the minimum rate, as Apache's
     * {@code mod_reqtimeout} counts it (each {@code minRate} bytes buy one more second). Jetty's own
     * {@code minRequestDataRate} has no grace, so a small body in a late packet from a slow network
     * would be refused. A body that arrives in one read, as nearly all do, costs no clock reading.
     */
    private int readAtRate(InputStream in, byte[] into, int offset, int length, long started) throws IOException {
        int total = 0;
        while (total < length) {
            int read = in.read(into, offset + total, length - total);
            if (read < 0) {
                break;
            }
            total += read;
            if (total < length && timeouts.minBodyBytesPerSecond() > 0) {
                long allowedNanos = timeouts.bodyGrace().toNanos()
                        + (offset + total) * 1_000_000_000L / timeouts.minBodyBytesPerSecond();
                if (System.nanoTime() - started > allowedNanos) {
                    throw new TallyException(
                            ErrorCode.REQUEST_TIMEOUT,
                            "the request body arrived slower than " + timeouts.minBodyBytesPerSecond()
                                    + " bytes per second");
                }
            }
        }
        return total;
    }

    /**
     * HTTP/1.1 (the only protocol served): a body needs a Content-Length above zero or a
     * Transfer-Encoding. A GET has neither, and reading it anyway would allocate a buffer only to find
     * the end; refusing it would needlessly close a kept-alive connection.
     */
    private static boolean hasBody(Request request) {
        long declared = request.getLength();
        return declared > 0 || (declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /**
     * JSON bodies only. A missing Content-Type, and curl's default {@code
     * application/x-www-form-urlencoded} for {@code -d}, are read as JSON, since people forget the header.
     */
    private static void checkContentType(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return;
        }
        String mime = contentType.get().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mime.isEmpty()
                || mime.equals("application/json")
                || mime.endsWith("+json")
                || mime.equals("application/x-ndjson")
                || mime.equals("application/x-www-form-urlencoded")
                || mime.equals("text/plain")) {
            return;
        }
        throw new TallyException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + InputText.abbreviate(mime) + " is not supported; send application/json",
                "Content-Type");
    }

    private static TallyException tooLarge(long maxBytes) {
        return new TallyException(
                ErrorCode.REQUEST_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
    }

    private static Map<String, List<String>> query(Request request) {
        String raw = request.getHttpURI().getQuery();
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        try {
            Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            Map<String, List<String>> query = new LinkedHashMap<>();
            for (Fields.Field field : fields) {
                query.put(field.getName(), field.getValues());
            }
            return query;
        } catch (RuntimeException e) {
            throw TallyException.invalid("query", "the query string is not valid URL encoding");
        }
    }

    private String baseUrl(Request request) {
        if (publicUrl.isPresent()) {
            return publicUrl.get();
        }
        String scheme = request.getHttpURI().getScheme() == null
                ? "http"
                : request.getHttpURI().getScheme();
        String host = Request.getServerName(request);
        int port = Request.getServerPort(request);
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return scheme + "://" + hostPart + (defaultPort || port <= 0 ? "" : ":" + port);
    }

    static String decodeSegment(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
