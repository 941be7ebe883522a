package dev.tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tally.json.TallyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A real webhook receiver on loopback, for tests: it records every request (headers, raw body, time
 * of arrival) and answers what {@code responder} says, given the number of the request (from 1).
 */
public final class TestingReceiver implements AutoCloseable {
    /** One request as it arrived. */
    public record Received(Map<String, List<String>> headers, byte[] body, Instant at) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().getFirst();
                }
            }
            return null;
        }

        public JsonNode json() {
            try {
                return TallyJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String notificationId() {
            return json().get("id").asText();
        }
    }

    /** What to answer: a status and headers. */
    public record Answer(int status, Map<String, String> headers) {
        public static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile Function<Integer, Answer> responder;

    private TestingReceiver(Function<Integer, Answer> responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static TestingReceiver start(Function<Integer, Answer> responder) {
        try {
            return new TestingReceiver(responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers 200 to everything. */
    public static TestingReceiver accepting() {
        return start(number -> Answer.of(200));
    }

    public void respondWith(Function<Integer, Answer> newResponder) {
        responder = newResponder;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int number;
        synchronized (received) {
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
            number = received.size();
            received.notifyAll();
        }
        Answer answer = responder.apply(number);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] reply = ("answer " + answer.status()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until at least {@code count} requests arrived; fails after {@code timeout}. */
    public List<Received> await(int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (received) {
            while (received.size() < count) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    throw new AssertionError(
                            "expected " + count + " requests within " + timeout + ", got " + received.size());
                }
                try {
                    received.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return List.copyOf(received);
        }
    }

    /** Polls a condition until it holds; fails after {@code timeout}. */
    public static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        awaitCondition(() -> what, timeout, condition);
    }

    /** Polls a condition until it holds; fails after {@code timeout}, saying what was seen then. */
    public static void awaitCondition(
            java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
