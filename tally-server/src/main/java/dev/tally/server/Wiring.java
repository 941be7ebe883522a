package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventSubmissionParser;
import dev.tally.server.config.ServerConfig;
import dev.tally.server.http.AdminApi;
import dev.tally.server.http.ApiFilter;
import dev.tally.server.http.ApiHandler;
import dev.tally.server.http.ApiResponse;
import dev.tally.server.http.Authenticator;
import dev.tally.server.http.BackupApi;
import dev.tally.server.http.BatchApi;
import dev.tally.server.http.BrowserApi;
import dev.tally.server.http.BulkApi;
import dev.tally.server.http.ContactsApi;
import dev.tally.server.http.EventsApi;
import dev.tally.server.http.ExportApi;
import dev.tally.server.http.RateLimitFilter;
import dev.tally.server.http.Route;
import dev.tally.server.http.Router;
import dev.tally.server.http.SegmentsApi;
import dev.tally.server.http.StatsApi;
import dev.tally.server.http.SubscriptionsApi;
import dev.tally.server.metrics.TallyMetrics;
import dev.tally.server.web.DashboardHandler;
import dev.tally.server.web.Sessions;
import dev.tally.server.webhook.EndpointGuard;
import dev.tally.server.webhook.WebhookDispatcher;
import dev.tally.service.AccessService;
import dev.tally.service.BrowserEventService;
import dev.tally.service.BulkJobService;
import dev.tally.service.ContactMergeService;
import dev.tally.service.ContactService;
import dev.tally.service.EventCatalogService;
import dev.tally.service.EventService;
import dev.tally.service.ExportService;
import dev.tally.service.OverviewService;
import dev.tally.service.SearchService;
import dev.tally.service.SegmentService;
import dev.tally.service.SubscriptionService;
import dev.tally.service.WorkspaceService;
import dev.tally.storage.CachingTallyStore;
import dev.tally.storage.TallyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The composition root: every service and handler, built by hand from one store and one config. */
final class Wiring {
    /**
     * How long a node may serve a token or workspace it read before: a revocation or rate-limit
     * change made on another node (several nodes on PostgreSQL) reaches this one within it. Changes
     * made through this node take effect at once. docs/security.md and docs/scaling.md promise 1 s.
     */
    private static final Duration TOKEN_AND_WORKSPACE_CACHE_TTL = Duration.ofSeconds(1);

    /** The caller's store behind the token and workspace cache; every service writes through it. */
    final TallyStore store;

    final AccessService access;
    final WorkspaceService workspaces;
    final ContactService contacts;
    final EventService events;
    final WebhookDispatcher webhooks;
    final ApiHandler handler;
    final TallyMetrics metrics;
    final DashboardHandler dashboard;

    Wiring(ServerConfig config, TallyStore opened, Clock clock) {
        // Wrapped once, and from here on `store` is the wrapper: every service writes through it, so
        // every write invalidates the cache. The caller keeps `opened` and closes it, once.
        this.store = CachingTallyStore.wrap(requireNonNull(opened, "store is null"), TOKEN_AND_WORKSPACE_CACHE_TTL);
        this.access = new AccessService(store, clock);
        this.workspaces = new WorkspaceService(store, access, clock);
        this.contacts = new ContactService(store, clock);
        this.events = new EventService(store, contacts, clock);
        EndpointGuard endpointGuard = new EndpointGuard(config.webhooks().allowPrivate());
        // Delivery runs on real time whatever the clock of the API (tests move that one by hand).
        // Segment membership, though, is judged on the API's clock, as searches are.
        this.webhooks = new WebhookDispatcher(
                store,
                config.webhooks(),
                endpointGuard,
                new SearchService(store, new SegmentService(store, clock), clock),
                events::waiting,
                Clock.systemUTC());
        OverviewService overviews = new OverviewService(store, clock);

        List<Route> routes = new ArrayList<>();
        routes.add(new Route("GET", "/health", dev.tally.server.http.Access.PUBLIC, request -> health()));
        routes.addAll(new EventsApi(events, contacts, config.limits(), clock).routes());
        routes.addAll(new BatchApi(events, config.limits(), clock).routes());
        routes.addAll(new ExportApi(new ExportService(store, contacts)).routes());
        routes.addAll(new ContactsApi(contacts, new ContactMergeService(store, contacts)).routes());
        routes.addAll(new BulkApi(new BulkJobService(
                        store, events, new EventSubmissionParser(config.limits().metadata()), clock))
                .routes());
        routes.addAll(new AdminApi(workspaces, access).routes());
        routes.addAll(segmentRoutes(clock));
        SubscriptionService subscriptions =
                new SubscriptionService(store, endpointGuard, webhooks, new SegmentService(store, clock), clock);
        routes.addAll(new SubscriptionsApi(subscriptions).routes());
        routes.addAll(new BackupApi(store.operations()).routes());
        routes.addAll(browserApi(config, clock).routes());
        routes.addAll(new StatsApi(overviews).routes());
        // Always installed: a workspace may have its own limit while the server default is off.
        RateLimitFilter rateLimit = new RateLimitFilter(config.rateLimit(), clock);
        List<ApiFilter> filters = List.of(rateLimit);
        this.metrics = new TallyMetrics(new TallyMetrics.Sources(store, events, rateLimit::refusals, webhooks::stats));
        routes.add(new Route("GET", "/metrics", dev.tally.server.http.Access.ADMIN, request -> metrics()));
        this.handler = new ApiHandler(
                new Router(routes),
                new Authenticator(access, config.adminToken()),
                config.limits(),
                config.clientTimeouts(),
                config.publicUrl(),
                filters,
                metrics);
        SegmentService dashboardSegments = new SegmentService(store, clock);
        this.dashboard = new DashboardHandler(
                new Sessions(clock),
                access,
                workspaces,
                contacts,
                events,
                overviews,
                subscriptions,
                new EventCatalogService(store),
                dashboardSegments,
                new SearchService(store, dashboardSegments, clock),
                config.adminToken(),
                config.publicUrl());
    }

    ApiResponse metrics() {
        TallyMetrics.Exposition exposition = metrics.scrape();
        return ApiResponse.json(200, exposition.body()).withHeader("Content-Type", exposition.contentType());
    }

    private BrowserApi browserApi(ServerConfig config, Clock clock) {
        BrowserEventService browserEvents = new BrowserEventService(
                store,
                contacts,
                new ContactMergeService(store, contacts),
                events,
                new EventSubmissionParser(config.limits().metadata()),
                clock);
        return new BrowserApi(workspaces, browserEvents, config.browser(), clock);
    }

    /** The event catalog, contact search and segments (issue 12). */
    private List<Route> segmentRoutes(Clock clock) {
        SegmentService segments = new SegmentService(store, clock);
        return new SegmentsApi(
                        new EventCatalogService(store), segments, new SearchService(store, segments, clock), contacts)
                .routes();
    }

    private ApiResponse health() {
        store.checkHealth();
        return ApiResponse.json(200, "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
