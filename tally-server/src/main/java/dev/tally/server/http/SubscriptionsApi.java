package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.auth.Scope;
import dev.tally.error.TallyException;
import dev.tally.service.SubscriptionService;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Intercom's legacy notification subscriptions ({@code /subscriptions}) for the topic {@code
 * event.created}, plus what Intercom keeps in its UI: a subscription's recent deliveries and
 * sending a notification again.
 */
public final class SubscriptionsApi {
    private static final int DEFAULT_PER_PAGE = 20;
    private static final int MAX_PER_PAGE = 100;

    private final SubscriptionService subscriptions;

    public SubscriptionsApi(SubscriptionService subscriptions) {
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/subscriptions", Access.WRITE, this::create),
                new Route("GET", "/subscriptions", Access.READ, this::list),
                new Route("GET", "/subscriptions/{id}", Access.READ, this::get),
                new Route("DELETE", "/subscriptions/{id}", Access.WRITE, this::delete),
                new Route("POST", "/subscriptions/{id}/ping", Access.WRITE, this::ping),
                new Route("GET", "/subscriptions/{id}/deliveries", Access.READ, this::deliveries),
                new Route("GET", "/subscriptions/{id}/deliveries/{notification_id}", Access.READ, this::delivery),
                new Route(
                        "POST", "/subscriptions/{id}/deliveries/{notification_id}/resend", Access.WRITE, this::resend));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.jsonBody();
        JsonNode serviceType = body.get("service_type");
        if (serviceType != null && !serviceType.isNull() && !"web".equals(serviceType.asText())) {
            throw TallyException.invalid("service_type", "service_type must be 'web'");
        }
        JsonNode topics = body.get("topics");
        if (topics == null || topics.isNull()) {
            throw TallyException.missing("topics", "topics is required: [\"event.created\"]");
        }
        if (!topics.isArray() || topics.isEmpty()) {
            throw TallyException.invalid("topics", "topics must be a list: [\"event.created\"]");
        }
        for (JsonNode topic : topics) {
            if (!topic.isTextual() || Topic.fromWireName(topic.textValue()).orElse(null) != Topic.EVENT_CREATED) {
                throw TallyException.invalid("topics", "Tally's subscriptions take the topic event.created only");
            }
        }
        JsonNode segmentId = body.get("segment_id");
        Optional<String> segment = Optional.empty();
        if (segmentId != null && !segmentId.isNull()) {
            if (!segmentId.isTextual()) {
                throw TallyException.invalid("segment_id", "segment_id must be a segment's id (a string)");
            }
            segment = Optional.of(segmentId.textValue());
        }
        JsonNode url = body.get("url");
        if (url == null || url.isNull()) {
            throw TallyException.missing("url", "url is required");
        }
        if (!url.isTextual()) {
            throw TallyException.invalid("url", "url must be a string");
        }
        JsonNode names = body.path("metadata").get("event_names");
        List<String> eventNames = new ArrayList<>();
        if (names != null && !names.isNull()) {
            if (!names.isArray()) {
                throw TallyException.invalid("metadata.event_names", "metadata.event_names must be a list of names");
            }
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).isTextual()) {
                    throw TallyException.invalid(
                            "metadata.event_names[" + i + "]", "metadata.event_names[" + i + "] must be a string");
                }
                eventNames.add(names.get(i).textValue());
            }
        }
        Subscription created = subscriptions.create(request.workspaceId(), url.textValue(), eventNames, segment);
        return ApiResponse.json(200, WireJson.subscription(created, true));
    }

    ApiResponse list(ApiRequest request) {
        return ApiResponse.json(
                200, WireJson.subscriptionList(subscriptions.list(request.workspaceId()), canWrite(request)));
    }

    ApiResponse get(ApiRequest request) {
        Subscription subscription = subscriptions.get(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.subscription(subscription, canWrite(request)));
    }

    ApiResponse delete(ApiRequest request) {
        Subscription deleted = subscriptions.delete(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.subscription(deleted, false));
    }

    ApiResponse ping(ApiRequest request) {
        Notification ping = subscriptions.ping(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.delivery(ping));
    }

    ApiResponse deliveries(ApiRequest request) {
        String id = request.pathParameter("id");
        int perPage = PerPage.parse(request.queryParameter("per_page"), DEFAULT_PER_PAGE, MAX_PER_PAGE);
        Optional<String> before = request.queryParameter("before");
        List<Notification> fetched = subscriptions.deliveries(request.workspaceId(), id, before, perPage + 1);
        List<Notification> page = fetched.size() > perPage ? fetched.subList(0, perPage) : fetched;
        Optional<String> next = fetched.size() > perPage
                ? Optional.of(request.baseUrl() + "/subscriptions/" + UrlText.encode(id) + "/deliveries?per_page="
                        + perPage + "&before=" + page.getLast().id().value())
                : Optional.empty();
        return ApiResponse.json(200, WireJson.deliveryList(page, next));
    }

    ApiResponse delivery(ApiRequest request) {
        Notification notification = subscriptions.notification(
                request.workspaceId(), request.pathParameter("id"), request.pathParameter("notification_id"));
        return ApiResponse.json(200, WireJson.delivery(notification));
    }

    ApiResponse resend(ApiRequest request) {
        Notification requeued = subscriptions.resend(
                request.workspaceId(), request.pathParameter("id"), request.pathParameter("notification_id"));
        return ApiResponse.json(202, WireJson.delivery(requeued));
    }

    private static boolean canWrite(ApiRequest request) {
        return request.caller() instanceof Caller.Tenant tenant
                && tenant.token().scopes().contains(Scope.WRITE);
    }
}
