package dev.tally.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tally.json.TallyJson;
import dev.tally.server.TestingServer;
import dev.tally.workspace.IdentitySecret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intercom's standard install snippet on a page of another origin ({@code localhost}, while Tally is
 * {@code 127.0.0.1}), under a strict Content-Security-Policy, in a real headless Chromium. Each test
 * has a workspace of its own, so the browser's storage for one app id never leaks into another test.
 */
class WidgetInBrowserTest {
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final String NONCE = "tally-test-nonce";

    @TempDir
    static Path dataDir;

    static TestingServer tally;
    static HttpServer pages;
    static final Map<String, String> pageHtml = new ConcurrentHashMap<>();
    static TestingBrowser browser;

    String token;
    String appId;
    IdentitySecret secret;

    @BeforeAll
    static void start() throws IOException {
        browser = TestingBrowser.start();
        tally = TestingServer.start(dataDir);
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            String html = pageHtml.get(exchange.getRequestURI().getPath());
            byte[] body = html == null ? new byte[0] : html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            // Only the Tally origin may run scripts (and the page's own inline ones, by nonce) and
            // be called: a script that used eval or a string timer would be a console error.
            exchange.getResponseHeaders()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'none'; script-src 'nonce-" + NONCE + "' " + tallyOrigin() + "; connect-src "
                                    + tallyOrigin());
            exchange.sendResponseHeaders(html == null ? 204 : 200, html == null ? -1 : body.length);
            if (html != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        pages.start();
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.stop(0);
        }
        if (tally != null) {
            tally.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    static String tallyOrigin() {
        return "http://127.0.0.1:" + tally.port();
    }

    static String pageOrigin() {
        return "http://localhost:" + pages.getAddress().getPort();
    }

    @BeforeEach
    void newWorkspace() {
        HttpResponse<String> created = tally.post(
                "/admin/workspaces", "{\"name\":\"shop-" + System.nanoTime() + "\"}", TestingServer.ADMIN_TOKEN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode answer = TestingServer.json(created);
        token = answer.get("access_token").get("token").asText();
        appId = answer.get("workspace").get("app_id").asText();
        secret = new IdentitySecret(
                answer.get("workspace").get("identity_verification_secret").asText());
        String workspaceId = answer.get("workspace").get("id").asText();
        HttpResponse<String> origins = tally.send(tally.request("/admin/workspaces/" + workspaceId)
                .header("Authorization", "Bearer " + TestingServer.ADMIN_TOKEN)
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString("{\"allowed_origins\":[\"" + pageOrigin() + "\"]}"))
                .build());
        assertThat(origins.statusCode()).as(origins.body()).isEqualTo(200);
        browser.consoleErrors(); // start each test with an empty log
    }

    @AfterEach
    void leaveThePage() {
        browser.driver().get("about:blank");
    }

    /**
     * A page with {@code intercomSettings}, Intercom's standard loader (only its script host
     * changed), then {@code calls}, which run before the loader has fetched the script (it waits for
     * the page's load event), so they go through the stub's queue.
     */
    private String page(String path, String settings, String calls) {
        String html = "<!doctype html><html><head><title>shop</title></head><body><p>shop</p>\n"
                + "<script nonce=\"" + NONCE + "\">window.intercomSettings = " + settings + ";</script>\n"
                + "<script nonce=\"" + NONCE + "\">(function(){var w=window;var ic=w.Intercom;"
                + "if(typeof ic===\"function\"){ic('reattach_activator');ic('update',w.intercomSettings);}"
                + "else{var d=document;var i=function(){i.c(arguments);};i.q=[];i.c=function(args){i.q.push(args);};"
                + "w.Intercom=i;var l=function(){var s=d.createElement('script');s.type='text/javascript';"
                + "s.async=true;s.src='" + tallyOrigin() + "/widget/" + appId + "';"
                + "var x=d.getElementsByTagName('script')[0];x.parentNode.insertBefore(s,x);};"
                + "if(document.readyState==='complete'){l();}else if(w.attachEvent){w.attachEvent('onload',l);}"
                + "else{w.addEventListener('load',l,false);}}})();</script>\n"
                + "<script nonce=\"" + NONCE + "\">" + calls + "</script>\n"
                + "</body></html>";
        pageHtml.put(path, html);
        return pageOrigin() + path;
    }

    private String settings(Optional<String> userId, Optional<String> userHash) {
        StringBuilder settings = new StringBuilder("{api_base: '" + tallyOrigin() + "', app_id: '" + appId + "'");
        userId.ifPresent(id -> settings.append(", user_id: '")
                .append(id)
                .append("', email: '")
                .append(id)
                .append("@example.com'"));
        userHash.ifPresent(
                hash -> settings.append(", user_hash: '").append(hash).append("'"));
        return settings.append("}").toString();
    }

    private String verified(String userId) {
        return settings(Optional.of(userId), Optional.of(secret.sign(userId)));
    }

    private void awaitWidget() {
        await("the widget replaced the stub", () -> (Boolean)
                browser.driver().executeScript("return typeof window.Intercom === 'function' && !window.Intercom.q"));
    }

    /** Waits until the script's stored queue is empty: everything it had was answered. */
    private void awaitQueueDrained() {
        await("the widget's queue drained", () -> (Boolean) browser.driver()
                .executeScript(
                        "var q = localStorage.getItem('tally-queue-" + appId + "'); return q === null || q === '[]';"));
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@link #ARRIVAL}. */
    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (!Boolean.TRUE.equals(condition.get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private Optional<JsonNode> events(String query) {
        HttpResponse<String> response = tally.get("/events?type=user&per_page=50&" + query, token);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Optional.of(TestingServer.json(response).get("events"));
    }

    private JsonNode awaitEvents(String query, int count) {
        await(
                count + " events for " + query,
                () -> events(query).map(JsonNode::size).orElse(0) >= count);
        return events(query).orElseThrow();
    }

    private void assertNoConsoleErrors() {
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aVerifiedUsersEventWithEveryMetadataTypeIsListedAsSent() throws IOException {
        String metadata = "{\"note\":\"gift wrap\",\"items\":3,\"weight\":1.5,\"paid_at\":1764496800,"
                + "\"receipt\":\"https://example.com/receipts/1\","
                + "\"article\":{\"url\":\"https://example.com/help/returns\",\"value\":\"Returns\"},"
                + "\"stripe_invoice\":\"inv_1234567890\",\"price\":{\"amount\":2999,\"currency\":\"usd\"}}";
        browser.driver()
                .get(page("/order", verified("314159"), "Intercom('trackEvent', 'placed-order', " + metadata + ");"));

        JsonNode event = awaitEvents("user_id=314159", 1).get(0);
        assertThat(event.get("event_name").asText()).isEqualTo("placed-order");
        assertThat(event.get("email").asText()).isEqualTo("314159@example.com");
        assertThat(event.get("metadata")).isEqualTo(TallyJson.mapper().readTree(metadata));
        awaitQueueDrained();
        assertNoConsoleErrors();
    }

    @Test
    void callsQueuedBeforeTheScriptLoadedArriveInOrder() {
        browser.driver()
                .get(page(
                        "/steps",
                        verified("271828"),
                        "Intercom('trackEvent', 'step', {n: 1}); Intercom('trackEvent', 'step', {n: 2});"
                                + " Intercom('show'); Intercom('trackEvent', 'step', {n: 3});"));

        JsonNode events = awaitEvents("user_id=271828", 3);
        // Listed newest first: stamped in the order the page made the calls.
        assertThat(events.findValues("metadata").stream().map(m -> m.get("n").asInt()))
                .containsExactly(3, 2, 1);
        awaitQueueDrained();
        assertNoConsoleErrors();
    }

    @Test
    void anEventTrackedRightBeforeNavigatingAwayArrives() {
        pageHtml.put("/elsewhere", "<!doctype html><title>elsewhere</title><p>elsewhere</p>");
        browser.driver().get(page("/cart", verified("161803"), ""));
        awaitWidget();
        awaitQueueDrained();
        browser.driver()
                .executeScript("Intercom('trackEvent', 'clicked-checkout'); window.location.href = '/elsewhere';");

        JsonNode events = awaitEvents("user_id=161803", 1);
        assertThat(events.get(0).get("event_name").asText()).isEqualTo("clicked-checkout");
        assertNoConsoleErrors();
    }

    @Test
    void aWrongUserHashStoresNothing() {
        browser.driver()
                .get(page(
                        "/forged",
                        settings(Optional.of("314159"), Optional.of(secret.sign("someone-else"))),
                        "Intercom('trackEvent', 'placed-order');"));
        awaitWidget();
        awaitQueueDrained(); // refused with a 401, which is not retried

        assertThat(events("user_id=314159")).isEmpty();
        assertThat(TestingServer.json(tally.get("/contacts", token)).get("data"))
                .isEmpty();
        // The only errors are the browser's own notes of the refused requests.
        assertThat(browser.consoleErrors())
                .allSatisfy(error -> assertThat(error).contains("401"));
    }

    @Test
    void anAnonymousVisitorsEventBecomesALeadsThenFollowsTheMergeAfterAVerifiedBoot() {
        browser.driver()
                .get(page(
                        "/pricing",
                        settings(Optional.empty(), Optional.empty()),
                        "Intercom('trackEvent', 'viewed-pricing');"));
        awaitWidget();
        awaitQueueDrained();
        String visitorId = (String) browser.driver().executeScript("return Intercom('getVisitorId');");
        JsonNode lead =
                TestingServer.json(tally.get("/contacts", token)).get("data").get(0);
        assertThat(lead.get("role").asText()).isEqualTo("lead");
        assertThat(lead.get("external_id").asText()).isEqualTo(visitorId);
        String leadId = lead.get("id").asText();
        assertThat(awaitEvents("intercom_user_id=" + leadId, 1)
                        .get(0)
                        .get("event_name")
                        .asText())
                .isEqualTo("viewed-pricing");

        // The same browser logs in: the page boots a verified user.
        browser.driver().get(page("/account", verified("577215"), ""));
        JsonNode events = awaitEvents("user_id=577215", 1);
        assertThat(events.get(0).get("event_name").asText()).isEqualTo("viewed-pricing");
        assertThat(tally.get("/contacts/" + leadId, token).statusCode()).isEqualTo(410);

        // Shutdown (log out) forgets the visitor: the next anonymous event is a new visitor's.
        browser.driver().executeScript("Intercom('shutdown');");
        String next = (String) browser.driver().executeScript("return Intercom('getVisitorId');");
        assertThat(next).isNotEqualTo(visitorId);
        awaitQueueDrained();
        assertNoConsoleErrors();
    }

    @Test
    void eventsTrackedOfflineArriveOnceWhenBackOnline() {
        browser.driver().get(page("/offline", verified("141421"), ""));
        awaitWidget();
        awaitQueueDrained();
        network(true);
        try {
            browser.driver()
                    .executeScript("Intercom('trackEvent', 'offline-1'); Intercom('trackEvent', 'offline-2');"
                            + " Intercom('trackEvent', 'offline-3');");
            // The script tried, failed, and keeps the batch for a retry.
            await("a failed attempt", () -> (Boolean) browser.driver()
                    .executeScript("var q = JSON.parse(localStorage.getItem('tally-queue-" + appId
                            + "') || '[]'); return q.length === 1 && q[0].tries > 0;"));
            assertThat(events("user_id=141421").map(JsonNode::size).orElse(0)).isZero();
        } finally {
            network(false);
        }
        awaitEvents("user_id=141421", 3);
        awaitQueueDrained();
        JsonNode events = events("user_id=141421").orElseThrow();
        assertThat(events.findValuesAsText("event_name"))
                .containsExactlyInAnyOrder("offline-1", "offline-2", "offline-3");
        // The failed attempts are the browser's notes of the network being down, nothing else.
        assertThat(browser.consoleErrors())
                .allSatisfy(error -> assertThat(error).contains("ERR_INTERNET_DISCONNECTED"));
    }

    private static void network(boolean offline) {
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver()
                .executeCdpCommand(
                        "Network.emulateNetworkConditions",
                        Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }
}
