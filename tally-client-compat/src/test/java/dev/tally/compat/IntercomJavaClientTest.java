package dev.tally.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.process.ServerProcess;
import io.intercom.api.Event;
import io.intercom.api.EventCollection;
import io.intercom.api.EventSummary;
import io.intercom.api.EventSummaryCollection;
import io.intercom.api.Intercom;
import io.intercom.api.Job;
import io.intercom.api.JobItem;
import io.intercom.api.JobItemCollection;
import io.intercom.api.NotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Java client, {@code io.intercom:intercom-java:2.8.2}, unchanged, pointed at Tally. */
class IntercomJavaClientTest {
    @TempDir
    Path dataDir;

    private static final String TOKEN = "compat-bootstrap-token-0123456789";

    ServerProcess server;

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(dataDir.resolve("data"), TOKEN, Map.of());
        createUser("314159", "frodo@example.com");
        Intercom.setToken(TOKEN);
        // A trailing slash makes the client request //events; Tally must collapse it.
        Intercom.setApiBaseURI(URI.create(server.uri() + "/"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void createListFollowPagesAndSummarizeWithTheOfficialClient() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> order = new HashMap<>();
        order.put("value", "3434-3434");
        order.put("url", "https://example.org/orders/3434-3434");
        Map<String, Object> price = new HashMap<>();
        price.put("currency", "usd");
        price.put("amount", 2999);
        Map<String, Object> meta = new HashMap<>();
        meta.put("order_date", now - 1000);
        meta.put("stripe_invoice", "inv_3434343434");
        meta.put("price", price);
        meta.put("order_number", order);
        for (int i = 0; i < 5; i++) {
            Event.create(new Event()
                    .setEventName("placed-order")
                    .setUserID("314159")
                    .setCreatedAt(now - 100 + i)
                    .setMetadata(meta));
        }
        Event.create(new Event()
                .setEventName("Invited.Friend")
                .setUserID("314159")
                .setCreatedAt(now - 200)
                .putMetadata("invite_code", "ADDAFRIEND"));

        Map<String, String> params = new HashMap<>();
        params.put("type", "user");
        params.put("user_id", "314159");
        params.put("per_page", "2");
        EventCollection page = Event.list(params);
        List<Event> all = new ArrayList<>(page.getPage());
        while (page.hasNextPage()) {
            page = page.nextPage();
            all.addAll(page.getPage());
        }
        assertThat(all).hasSize(6);
        assertThat(all.get(0).getEventName()).isEqualTo("placed-order");
        assertThat(all.get(0).getCreatedAt()).isEqualTo(now - 96);
        assertThat(all).extracting(Event::getEventName).contains("invited-friend");
        @SuppressWarnings("unchecked")
        Map<String, Object> listedPrice =
                (Map<String, Object>) all.get(0).getMetadata().get("price");
        assertThat(listedPrice).containsEntry("currency", "usd").containsEntry("amount", 2999);

        Map<String, String> summaryParams = new HashMap<>();
        summaryParams.put("type", "user");
        summaryParams.put("user_id", "314159");
        EventSummaryCollection summaries = Event.listSummary(summaryParams);
        assertThat(summaries.getUserID()).isEqualTo("314159");
        EventSummary orders = summaries.getEventSummaries().stream()
                .filter(s -> s.getName().equals("placed-order"))
                .findFirst()
                .orElseThrow();
        assertThat(orders.getCount()).isEqualTo(5);
        assertThat(orders.getFirstOccurredAt().toInstant()).isEqualTo(Instant.ofEpochSecond(now - 100));
        assertThat(orders.getLastOccurredAt().toInstant()).isEqualTo(Instant.ofEpochSecond(now - 96));
    }

    @Test
    void bulkSubmitCreatesAJobWhoseErrorFeedListsTheFailedItem() throws Exception {
        long now = Instant.now().getEpochSecond();
        List<JobItem<Event>> items = new ArrayList<>();
        items.add(new JobItem<>(
                "post", new Event().setEventName("bulk-one").setUserID("314159").setCreatedAt(now - 3)));
        items.add(new JobItem<>(
                "post", new Event().setEventName("bulk-two").setUserID("314159").setCreatedAt(now - 2)));
        items.add(new JobItem<>(
                "post",
                new Event().setEventName("bulk-lost").setUserID("nobody").setCreatedAt(now - 1)));
        Job job = Event.submit(items);
        assertThat(job.getID()).startsWith("job_");
        assertThat(Job.find(job.getID()).getID()).isEqualTo(job.getID());

        JobItemCollection<Event> errors = Event.listJobErrorFeed(job.getID());
        assertThat(errors.getPage()).hasSize(1);
        assertThat(errors.getPage().get(0).getError().getCode()).isEqualTo("not_found");
        assertThat(errors.getPage().get(0).getData().getEventName()).isEqualTo("bulk-lost");

        Map<String, String> params = new HashMap<>();
        params.put("type", "user");
        params.put("user_id", "314159");
        assertThat(Event.list(params).getPage())
                .extracting(Event::getEventName)
                .containsExactly("bulk-two", "bulk-one");
    }

    @Test
    void unknownUserSurfacesAsTheClientsNotFoundException() {
        Assertions.assertThatThrownBy(() -> Event.create(new Event()
                        .setEventName("x")
                        .setUserID("nobody")
                        .setCreatedAt(Instant.now().getEpochSecond())))
                .isInstanceOf(NotFoundException.class);
    }

    /** Creates a user the way an application would, with a plain HTTP call. */
    private void createUser(String externalId, String email) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(
                    HttpRequest.newBuilder(server.uri().resolve("/contacts"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"user\",\"external_id\":\""
                                    + externalId + "\",\"email\":\"" + email + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("could not create a user: " + response.body());
        }
    }
}
