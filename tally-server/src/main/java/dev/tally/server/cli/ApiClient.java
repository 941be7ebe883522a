package dev.tally.server.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The command line's HTTP client for a running server: bearer token, and retries with exponential
 * backoff on 429 and 5xx (honouring {@code Retry-After}) and on connection failures, so a long import
 * rides out a restart or a rate limit.
 */
final class ApiClient implements AutoCloseable {
    private static final int MAX_ATTEMPTS = 8;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;
    private final HttpClient http;
    private final Sleeper sleeper;

    /** Waits between attempts; tests pass one that does not wait. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    ApiClient(String baseUrl, String token, Sleeper sleeper) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null").replaceAll("/+$", "");
        this.token = requireNonNull(token, "token is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    static ApiClient fromEnvironment(String url) {
        String token = System.getenv("TALLY_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("set TALLY_TOKEN to an access token of the workspace");
        }
        return new ApiClient(url, token, duration -> Thread.sleep(duration));
    }

    HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(2))
                .build();
        Duration backoff = Duration.ofMillis(250);
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                boolean retryable = response.statusCode() == 429 || response.statusCode() >= 500;
                if (!retryable || attempt == MAX_ATTEMPTS) {
                    return response;
                }
                Optional<Duration> retryAfter =
                        response.headers().firstValue("Retry-After").flatMap(ApiClient::seconds);
                sleeper.sleep(retryAfter.orElse(backoff));
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                sleeper.sleep(backoff);
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
