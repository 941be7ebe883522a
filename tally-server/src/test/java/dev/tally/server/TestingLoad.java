package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * Senders posting distinct events to a {@link TestingServer} until closed, as users {@code user-0},
 * {@code user-1}, ...: every 202 is recorded, 503s are counted (and backed off from, as Retry-After asks), any
 * other answer is kept. For tests that disturb a server under load and then check that every acknowledged event
 * is stored.
 */
public final class TestingLoad implements AutoCloseable {
    /** An event as sent and as stored: the user's number, its name and its {@code created_at}. */
    public record Event(int user, String name, long createdAt) {}

    private final Set<Event> acked = ConcurrentHashMap.newKeySet();
    private final Map<Integer, String> unexpected = new ConcurrentHashMap<>();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sequence = new AtomicInteger();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newHttpClient();

    private TestingLoad(TestingServer server, int senderCount, IntFunction<Event> events) {
        for (int i = 0; i < senderCount; i++) {
            senders.submit(() -> send(server, events));
        }
    }

    /**
     * Starts {@code senderCount} senders; the n-th event sent is {@code events.apply(n)}, which must differ for
     * every n (so that each acknowledgement is one event).
     */
    public static TestingLoad start(TestingServer server, int senderCount, IntFunction<Event> events) {
        return new TestingLoad(server, senderCount, events);
    }

    /** A {@code created_at} an hour ago: the events of a load are in the past, and within the listing window. */
    public static long anHourAgo() {
        return Instant.now().getEpochSecond() - 3600;
    }

    /** Creates users {@code user-0} to {@code user-(count - 1)} for a load to send as. */
    public static void createUsers(TestingServer server, int count) {
        for (int user = 0; user < count; user++) {
            server.createUser(userId(user), userId(user) + "@example.com");
        }
    }

    /** Every event stored for the user, read through every page of {@code GET /events}; a duplicate shows twice. */
    public static List<Event> storedEvents(TestingServer server, int user) {
        List<Event> stored = new ArrayList<>();
        String next = "/events?type=user&user_id=" + userId(user) + "&per_page=150";
        while (next != null) {
            HttpResponse<String> response = server.get(next);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = TestingServer.json(response);
            for (JsonNode event : page.get("events")) {
                stored.add(new Event(
                        user,
                        event.get("event_name").asText(),
                        event.get("created_at").asLong()));
            }
            JsonNode nextUrl = page.get("pages").get("next");
            next = nextUrl.isNull()
                    ? null
                    : nextUrl.asText().substring(nextUrl.asText().indexOf("/events"));
        }
        return stored;
    }

    private void send(TestingServer server, IntFunction<Event> events) {
        while (running.get()) {
            Event event = events.apply(sequence.getAndIncrement());
            String body = "{\"event_name\":\"" + event.name() + "\",\"created_at\":" + event.createdAt()
                    + ",\"user_id\":\"" + userId(event.user()) + "\"}";
            try {
                HttpResponse<String> response = client.send(
                        server.request("/events")
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                switch (response.statusCode()) {
                    case 202 -> acked.add(event);
                    case 503 -> {
                        unavailable.incrementAndGet();
                        Thread.sleep(20); // a client backing off, as Retry-After asks
                    }
                    default -> unexpected.put(response.statusCode(), response.body());
                }
            } catch (IOException e) {
                unexpected.put(-1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The events acknowledged with a 202 so far (a live view). */
    public Set<Event> acked() {
        return acked;
    }

    /** Answers other than 202 and 503, by status ({@code -1} for a failed connection): the last body of each. */
    public Map<Integer, String> unexpected() {
        return Map.copyOf(unexpected);
    }

    /** Waits, at most a minute, until {@code count} events are acknowledged. */
    public void awaitAcks(int count) throws InterruptedException {
        await(acked::size, count, "acknowledged events");
    }

    /** Waits, at most a minute, until {@code count} sends were answered 503. */
    public void await503s(int count) throws InterruptedException {
        await(unavailable::get, count, "503 answers");
    }

    private static void await(IntSupplier counter, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (counter.getAsInt() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(counter.getAsInt()).as(what).isGreaterThanOrEqualTo(count);
    }

    /** The external id of user number {@code user}. */
    public static String userId(int user) {
        return "user-" + user;
    }

    @Override
    public void close() {
        running.set(false);
        senders.shutdown();
        try {
            senders.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
