package dev.tally.server.webhook;

import static java.util.Objects.requireNonNull;

import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Sends one notification over HTTP and says how it went. Jetty's client, because its {@link
 * org.eclipse.jetty.util.SocketAddressResolver} lets every new connection go to exactly the
 * addresses the {@link EndpointGuard} approved (a pooled connection was approved when it opened).
 * Redirects are not followed (a 3xx is a failure, as Standard Webhooks says), cookies are not kept,
 * and only the first {@link #READ_LIMIT} bytes of an answer are read.
 */
final class WebhookSender implements AutoCloseable {
    static final int READ_LIMIT = 1024;
    static final String USER_AGENT = "Tally-Webhooks/1";

    /** How an attempt ended: a status (or none when no answer came), an excerpt or reason, a Retry-After. */
    record Outcome(OptionalInt status, Optional<String> response, Optional<Duration> retryAfter) {
        boolean succeeded() {
            return status.isPresent() && status.getAsInt() >= 200 && status.getAsInt() < 300;
        }

        static Outcome noAnswer(String reason) {
            return new Outcome(OptionalInt.empty(), Optional.of(reason), Optional.empty());
        }
    }

    private final EndpointGuard guard;
    private final Duration timeout;
    private final int connectionsPerEndpoint;
    private final Object starting = new Object();
    private volatile @Nullable HttpClient client;
    private boolean closed;

    WebhookSender(EndpointGuard guard, Duration timeout, int connectionsPerEndpoint) {
        this.guard = guard;
        this.timeout = timeout;
        this.connectionsPerEndpoint = connectionsPerEndpoint;
    }

    /**
     * The HTTP client, started at the first delivery rather than with the server: with TLS it loads
     * some 400 classes, a third of the server's time to its first 202, which a deployment without
     * subscriptions never needs.
     */
    private HttpClient client() {
        HttpClient started = client;
        if (started != null) {
            return started;
        }
        synchronized (starting) {
            if (closed) {
                throw new IllegalStateException("the webhook HTTP client is closed");
            }
            if (client == null) {
                client = startClient();
            }
            return requireNonNull(client);
        }
    }

    private HttpClient startClient() {
        HttpClient client = new HttpClient();
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("tally-webhook-client");
        client.setExecutor(threads);
        client.setSocketAddressResolver((host, port, context, promise) -> {
            try {
                promise.succeeded(guard.resolve(host).stream()
                        .map(address -> new InetSocketAddress(address, port))
                        .toList());
            } catch (EndpointGuard.RefusedException e) {
                promise.failed(e);
            }
        });
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        // The dispatcher keeps each subscription to its slots; several subscriptions may share a host,
        // and their requests must not queue behind each other here (queued time counts to the timeout).
        client.setMaxConnectionsPerDestination(Math.max(64, connectionsPerEndpoint * 4));
        client.setConnectTimeout(Math.min(timeout.toMillis(), 10_000));
        client.setIdleTimeout(60_000);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the webhook HTTP client", e);
        }
        return client;
    }

    /** POSTs {@code body} to the subscription's URL, signed, and waits at most the timeout. */
    Outcome send(Subscription subscription, NotificationId id, byte[] body, Instant at) {
        Optional<URI> uri = EndpointGuard.parse(subscription.url());
        if (uri.isEmpty()) {
            return Outcome.noAnswer("refused: the url is not one Tally sends to");
        }
        try {
            guard.checkScheme(uri.get());
        } catch (EndpointGuard.RefusedException e) {
            return Outcome.noAnswer("refused: " + e.getMessage());
        }
        long timestamp = at.getEpochSecond();
        Request request = client().newRequest(uri.get())
                .method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> headers.put(
                                "X-Hub-Signature", WebhookSignatures.hubSignature(subscription.hubSecret(), body))
                        .put("webhook-id", id.value())
                        .put("webhook-timestamp", Long.toString(timestamp))
                        .put(
                                "webhook-signature",
                                WebhookSignatures.standardSignature(
                                        subscription.hubSecret(), id.value(), timestamp, body)))
                .body(new BytesRequestContent("application/json", body));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String excerpt = readExcerpt(listener);
            return new Outcome(
                    OptionalInt.of(response.getStatus()),
                    excerpt.isEmpty() ? Optional.empty() : Optional.of(excerpt),
                    retryAfter(response.getHeaders().get(HttpHeader.RETRY_AFTER), at));
        } catch (TimeoutException e) {
            request.abort(e);
            return Outcome.noAnswer("no answer within " + timeout.toMillis() / 1000.0 + " s");
        } catch (ExecutionException e) {
            return Outcome.noAnswer(describe(e.getCause()));
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            return Outcome.noAnswer("interrupted: Tally is stopping");
        } finally {
            try {
                listener.close();
            } catch (IOException e) {
                // The rest of the answer is not wanted; closing aborts it.
            }
        }
    }

    private static String readExcerpt(InputStreamResponseListener listener) {
        byte[] buffer = new byte[READ_LIMIT];
        int length = 0;
        try (InputStream in = listener.getInputStream()) {
            int read;
            while (length < READ_LIMIT && (read = in.read(buffer, length, READ_LIMIT - length)) > 0) {
                length += read;
            }
        } catch (IOException e) {
            // A body cut short still has its status; the excerpt is what arrived.
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(buffer, 0, length))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > Notification.MAX_EXCERPT ? clean.substring(0, Notification.MAX_EXCERPT) : clean;
    }

    /** Retry-After as seconds or an HTTP date, at most a day ahead. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Duration delay;
        try {
            delay = Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                delay = Duration.between(
                        now,
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        return Optional.of(delay.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : delay);
    }

    private static String describe(@Nullable Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof EndpointGuard.RefusedException refused) {
                return "refused: " + refused.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "could not connect: " + cause.getMessage();
            }
            if (cause instanceof TimeoutException) {
                return "timed out: " + cause.getMessage();
            }
            cause = cause.getCause();
        }
        return failure == null ? "failed" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    @Override
    public void close() {
        HttpClient started;
        synchronized (starting) {
            closed = true;
            started = client;
        }
        if (started == null) {
            return;
        }
        try {
            started.stop();
        } catch (Exception e) {
            // Stopping: nothing more to send.
        }
    }
}
