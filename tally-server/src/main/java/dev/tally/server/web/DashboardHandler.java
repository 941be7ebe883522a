package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.Authentication;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.error.ErrorCode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.server.http.Route;
import dev.tally.server.http.Router;
import dev.tally.service.AccessService;
import dev.tally.service.ContactService;
import dev.tally.service.EventCatalogService;
import dev.tally.service.EventService;
import dev.tally.service.OverviewService;
import dev.tally.service.SearchService;
import dev.tally.service.SegmentService;
import dev.tally.service.SubscriptionService;
import dev.tally.service.WorkspaceService;
import dev.tally.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
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

/**
 * The dashboard under {@code /app}, beside the JSON API (which it leaves alone: any other path is
 * not handled here). It owns what a browser needs and the API does not: the session cookie, the
 * CSRF check on every change (the session's synchronizer token plus an Origin check), security
 * headers with a strict Content-Security-Policy, and HTML error pages. Pages are plain functions
 * of a {@link WebRequest}, as the API's routes are.
 */
public final class DashboardHandler extends Handler.Abstract {
    public static final String PREFIX = "/app";
    static final String COOKIE = "tally_session";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int MAX_FORM_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("tally.access");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** What a page needs of its caller. */
    enum Need {
        NOTHING,
        SESSION,
        /** A session whose token may write, and a valid CSRF token: every change. */
        CHANGE,
        /** A change that a read token may make too: sign-out, the operator's workspace switch. */
        SESSION_CHANGE
    }

    @FunctionalInterface
    interface Page {
        WebResponse handle(WebRequest request);
    }

    record WebRoute(String method, String template, Need need, Page page) {}

    private final List<WebRoute> routes;
    private final Templates templates = new Templates();
    private final StaticFiles files = new StaticFiles();
    private final Sessions sessions;
    private final AccessService access;
    private final WorkspaceService workspaces;
    private final Optional<TokenHash> adminToken;
    private final Optional<String> publicUrl;

    public DashboardHandler(
            Sessions sessions,
            AccessService access,
            WorkspaceService workspaces,
            ContactService contacts,
            EventService events,
            OverviewService overviews,
            SubscriptionService subscriptions,
            EventCatalogService catalog,
            SegmentService segments,
            SearchService search,
            Optional<String> adminToken,
            Optional<String> publicUrl) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.access = requireNonNull(access, "access is null");
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.adminToken = requireNonNull(adminToken, "adminToken is null").map(TokenHash::of);
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        Pages core = new Pages(templates, workspaces, contacts, events, overviews);
        List<WebRoute> table = new ArrayList<>();
        table.add(new WebRoute("GET", "/app", Need.NOTHING, request -> WebResponse.redirect("/app/overview")));
        table.add(new WebRoute("GET", "/app/sign-in", Need.NOTHING, request -> signInPage(200, Optional.empty())));
        table.add(new WebRoute("POST", "/app/sign-in", Need.NOTHING, this::signIn));
        table.add(new WebRoute("POST", "/app/sign-out", Need.SESSION_CHANGE, this::signOut));
        table.add(new WebRoute(
                "POST", "/app/workspace", Need.SESSION_CHANGE, request -> core.switchWorkspace(request, sessions)));
        table.add(new WebRoute("GET", "/app/overview", Need.SESSION, core::overview));
        table.add(new WebRoute("GET", "/app/contacts", Need.SESSION, core::contacts));
        table.add(new WebRoute("GET", "/app/contacts/{id}", Need.SESSION, core::contact));
        table.add(new WebRoute("POST", "/app/contacts/{id}/delete", Need.CHANGE, core::deleteContact));
        CatalogPages catalogPages = new CatalogPages(templates, core, catalog);
        table.add(new WebRoute("GET", "/app/events", Need.SESSION, catalogPages::list));
        table.add(new WebRoute("POST", "/app/events/{name}/archive", Need.CHANGE, catalogPages::archive));
        table.add(new WebRoute("POST", "/app/events/{name}/unarchive", Need.CHANGE, catalogPages::unarchive));
        SegmentPages segmentPages = new SegmentPages(templates, core, segments, search, catalog);
        table.add(new WebRoute("GET", "/app/segments", Need.SESSION, segmentPages::list));
        table.add(new WebRoute("POST", "/app/segments", Need.CHANGE, segmentPages::save));
        // Before /app/segments/{id}, which would take "count" for an id.
        table.add(new WebRoute("GET", "/app/segments/count", Need.SESSION, segmentPages::count));
        table.add(new WebRoute("GET", "/app/segments/{id}", Need.SESSION, segmentPages::members));
        WebhookPages webhooks = new WebhookPages(templates, core, subscriptions);
        table.add(new WebRoute("GET", "/app/webhooks", Need.SESSION, webhooks::list));
        table.add(new WebRoute("POST", "/app/webhooks", Need.CHANGE, webhooks::create));
        table.add(new WebRoute("POST", "/app/webhooks/{id}/ping", Need.CHANGE, webhooks::ping));
        table.add(new WebRoute(
                "POST", "/app/webhooks/{id}/deliveries/{notification}/resend", Need.CHANGE, webhooks::resend));
        this.routes = List.copyOf(table);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return false;
        }
        long started = System.nanoTime();
        String method = request.getMethod();
        WebResponse answer;
        Optional<Session> session = Optional.empty();
        try {
            if (path.startsWith(PREFIX + "/static/") && method.equals("GET")) {
                answer = staticFile(path.substring((PREFIX + "/static/").length()));
            } else {
                session = currentSession(request);
                answer = route(request, method, path, session);
            }
        } catch (TallyException e) {
            answer = problem(e.code().httpStatus(), heading(e.code()), e.getMessage(), session.isPresent());
        } catch (RuntimeException e) {
            LOG.error("unhandled failure on {} {}", method, path, e);
            answer = problem(
                    500,
                    "Something went wrong",
                    "An internal error occurred; it has been logged.",
                    session.isPresent());
        }
        write(request, response, answer, callback);
        if (ACCESS.isInfoEnabled()) {
            // The path only, never the query or the body: no token can reach the log.
            ACCESS.info(
                    "method={} path={} status={} duration_ms={} workspace={}",
                    method,
                    InputText.abbreviate(path, 200),
                    answer.status(),
                    (System.nanoTime() - started) / 1_000_000,
                    session.map(s -> s.workspaceId().value()).orElse("-"));
        }
        return true;
    }

    private WebResponse route(Request request, String method, String path, Optional<Session> session) {
        List<String> segments = Router.segments(path);
        boolean pathKnown = false;
        for (WebRoute route : routes) {
            Optional<Map<String, String>> parameters = Route.matchTemplate(Router.segments(route.template()), segments);
            if (parameters.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(method)) {
                continue;
            }
            if (route.need() != Need.NOTHING && session.isEmpty()) {
                if (method.equals("GET")) {
                    return WebResponse.redirect("/app/sign-in");
                }
                return problem(401, "Signed out", "Your session has ended; sign in again.", false);
            }
            Map<String, List<String>> form = method.equals("POST") ? form(request) : Map.of();
            if (method.equals("POST")) {
                Optional<WebResponse> refused = checkChange(request, route.need(), session, form);
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            return route.page().handle(new WebRequest(method, path, parameters.get(), query(request), form, session));
        }
        if (pathKnown) {
            return problem(405, "Not allowed", method + " is not supported here.", session.isPresent());
        }
        return problem(404, "Not found", "There is no such page.", session.isPresent());
    }

    /**
     * A change must come from this site (its Origin, or failing that its Referer, is this server's)
     * and carry the session's CSRF token; and only a write token may change data. Sign-in has no
     * session yet, so it is held to the Origin check alone.
     */
    private Optional<WebResponse> checkChange(
            Request request, Need need, Optional<Session> session, Map<String, List<String>> form) {
        if (!sameOrigin(request)) {
            return Optional.of(problem(403, "Refused", "This form was sent from another site.", session.isPresent()));
        }
        if (need == Need.NOTHING) {
            return Optional.empty();
        }
        Session current = session.orElseThrow();
        Optional<String> presented = Optional.ofNullable(request.getHeaders().get(CSRF_HEADER))
                .or(() -> Optional.ofNullable(form.get(CSRF_FIELD))
                        .filter(values -> !values.isEmpty())
                        .map(values -> values.get(0)));
        if (!Sessions.csrfMatches(current, presented)) {
            return Optional.of(problem(
                    403,
                    "Refused",
                    "This form has expired or did not come from this dashboard; reload the page and try again.",
                    true));
        }
        if (need == Need.CHANGE && !current.canWrite()) {
            return Optional.of(problem(
                    403,
                    "Read only",
                    "You signed in with a read token; sign in with a write token to change this.",
                    true));
        }
        return Optional.empty();
    }

    private boolean sameOrigin(Request request) {
        String expected = ownOrigin(request);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null) {
            return origin.equalsIgnoreCase(expected);
        }
        String referer = request.getHeaders().get(HttpHeader.REFERER);
        return referer != null
                && (referer.equalsIgnoreCase(expected)
                        || referer.toLowerCase(Locale.ROOT).startsWith(expected.toLowerCase(Locale.ROOT) + "/"));
    }

    /** This server's origin as the browser sees it: TALLY_PUBLIC_URL's, else the request's own. */
    String ownOrigin(Request request) {
        if (publicUrl.isPresent()) {
            URI uri = URI.create(publicUrl.get());
            return uri.getScheme() + "://" + uri.getRawAuthority();
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        return scheme(request) + "://" + (host == null ? Request.getServerName(request) : host);
    }

    private String scheme(Request request) {
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        if (forwarded != null) {
            return forwarded.split(",", 2)[0].strip().toLowerCase(Locale.ROOT);
        }
        String scheme = request.getHttpURI().getScheme();
        return scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
    }

    private boolean secure(Request request) {
        return publicUrl
                        .map(url -> url.toLowerCase(Locale.ROOT).startsWith("https:"))
                        .orElse(false)
                || scheme(request).equals("https");
    }

    // ---- sign-in and sign-out

    private WebResponse signInPage(int status, Optional<String> error) {
        return WebResponse.html(status, templates.render("sign-in.jte", new Views.SignIn(error)));
    }

    private WebResponse signIn(WebRequest request) {
        String secret = request.formParameter("token").map(String::strip).orElse("");
        if (secret.isEmpty() || secret.length() > 512) {
            return signInPage(401, Optional.of("Enter an access token."));
        }
        Optional<Session> opened;
        if (adminToken.isPresent() && TokenHash.of(secret).matches(adminToken.get())) {
            List<Workspace> all = workspaces.list();
            if (all.isEmpty()) {
                return signInPage(409, Optional.of("There is no workspace yet; create one with tally admin."));
            }
            opened = sessions.open(Optional.empty(), true, true, all.get(0).id());
        } else {
            Authentication authentication = access.authenticate(secret);
            if (!(authentication instanceof Authentication.Authenticated authenticated)) {
                return signInPage(
                        401,
                        Optional.of(
                                authentication instanceof Authentication.Revoked
                                        ? "That token has been revoked."
                                        : "That token is not valid."));
            }
            opened = sessions.open(
                    Optional.of(authenticated.token().hash()),
                    false,
                    authenticated.token().allows(Scope.WRITE),
                    authenticated.workspace().id());
        }
        if (opened.isEmpty()) {
            return signInPage(503, Optional.of("Too many people are signed in; try again later."));
        }
        return WebResponse.redirect("/app/overview")
                .withHeader("Set-Cookie", cookie(opened.get().id(), false));
    }

    private WebResponse signOut(WebRequest request) {
        sessions.close(request.requireSession().id());
        return WebResponse.redirect("/app/sign-in").withHeader("Set-Cookie", cookie("", true));
    }

    /** The session cookie, named here once; {@code Secure} is added in {@link #write} for https. */
    private static String cookie(String value, boolean expire) {
        return COOKIE + "=" + value + "; Path=" + PREFIX + "; HttpOnly; SameSite=Strict"
                + (expire ? "; Max-Age=0" : "");
    }

    /** The session of the cookie, if it is live and its token still is; a revoked token ends it. */
    private Optional<Session> currentSession(Request request) {
        Optional<String> id = Request.getCookies(request).stream()
                .filter(cookie -> cookie.getName().equals(COOKIE))
                .map(HttpCookie::getValue)
                .filter(value -> !value.isEmpty())
                .findFirst();
        Optional<Session> session = id.flatMap(sessions::find);
        if (session.isEmpty() || session.get().admin()) {
            return session;
        }
        Authentication authentication =
                access.authenticate(session.get().tokenHash().orElseThrow());
        if (authentication instanceof Authentication.Authenticated authenticated
                && authenticated.workspace().id().equals(session.get().workspaceId())) {
            return session;
        }
        sessions.close(session.get().id());
        return Optional.empty();
    }

    // ---- plumbing

    private WebResponse staticFile(String name) {
        return files.find(name)
                .map(file -> new WebResponse(
                        200,
                        file.contentType(),
                        List.of(new WebResponse.Header("Cache-Control", "public, max-age=3600")),
                        file.body()))
                .orElseGet(() -> problem(404, "Not found", "There is no such file.", false));
    }

    private WebResponse problem(int status, String heading, String message, boolean signedIn) {
        return WebResponse.html(
                status, templates.render("problem.jte", new Views.Problem(status, heading, message, signedIn)));
    }

    private static String heading(ErrorCode code) {
        return switch (code.httpStatus()) {
            case 400 -> "Not valid";
            case 403 -> "Refused";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> "Something went wrong";
        };
    }

    private void write(Request request, Response response, WebResponse answer, Callback callback) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "same-origin");
        if (answer.headers().stream().noneMatch(header -> header.name().equals("Cache-Control"))) {
            headers.put("Cache-Control", "no-store");
        }
        boolean secure = secure(request);
        for (WebResponse.Header header : answer.headers()) {
            String value = header.name().equals("Set-Cookie") && secure ? header.value() + "; Secure" : header.value();
            headers.add(header.name(), value);
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    private static Map<String, List<String>> form(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        // Read whatever came, so the connection stays usable; only a URL-encoded form is understood.
        byte[] body = readBody(request);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readBody(Request request) {
        if (request.getLength() > MAX_FORM_BYTES) {
            throw new TallyException(ErrorCode.REQUEST_TOO_LARGE, "The form is too large.");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
            if (body.length > MAX_FORM_BYTES) {
                throw new TallyException(ErrorCode.REQUEST_TOO_LARGE, "The form is too large.");
            }
            return body;
        } catch (IOException e) {
            throw TallyException.invalid("body", "The form could not be read.");
        }
    }

    private static Map<String, List<String>> query(Request request) {
        String raw = request.getHttpURI().getQuery();
        return raw == null || raw.isEmpty() ? Map.of() : parse(raw);
    }

    private static Map<String, List<String>> parse(String encoded) {
        try {
            Fields fields = new Fields();
            org.eclipse.jetty.util.UrlEncoded.decodeTo(encoded, fields::add, StandardCharsets.UTF_8);
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (Fields.Field field : fields) {
                values.put(field.getName(), field.getValues());
            }
            return values;
        } catch (RuntimeException e) {
            throw TallyException.invalid("query", "The address is not valid URL encoding.");
        }
    }
}
