package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.error.TallyException;
import dev.tally.service.SubscriptionService;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The Webhooks page: subscriptions with their recent deliveries, ping and resend (issue 13's service). */
final class WebhookPages {
    static final int RECENT_DELIVERIES = 10;

    private final Templates templates;
    private final Pages pages;
    private final SubscriptionService subscriptions;

    WebhookPages(Templates templates, Pages pages, SubscriptionService subscriptions) {
        this.templates = requireNonNull(templates, "templates is null");
        this.pages = requireNonNull(pages, "pages is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
    }

    WebResponse list(WebRequest request) {
        return page(request, 200, Optional.empty(), request.queryParameter("done"));
    }

    WebResponse create(WebRequest request) {
        Session session = request.requireSession();
        String url = request.formParameter("url").map(String::strip).orElse("");
        List<String> names = Arrays.stream(
                        request.formParameter("event_names").orElse("").split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
        try {
            subscriptions.create(session.workspaceId(), url, names);
        } catch (TallyException e) {
            return page(request, 400, Optional.of(e.getMessage()), Optional.empty());
        }
        return WebResponse.redirect("/app/webhooks?done=created");
    }

    WebResponse ping(WebRequest request) {
        Session session = request.requireSession();
        Notification ping = subscriptions.ping(session.workspaceId(), request.pathParameter("id"));
        return WebResponse.redirect(
                "/app/webhooks?done=" + (ping.status() == DeliveryStatus.DELIVERED ? "ping-delivered" : "ping-failed"));
    }

    WebResponse resend(WebRequest request) {
        Session session = request.requireSession();
        subscriptions.resend(session.workspaceId(), request.pathParameter("id"), request.pathParameter("notification"));
        return WebResponse.redirect("/app/webhooks?done=resent");
    }

    private WebResponse page(WebRequest request, int status, Optional<String> error, Optional<String> done) {
        Session session = request.requireSession();
        List<Views.SubscriptionView> views = new ArrayList<>();
        for (Subscription subscription : subscriptions.list(session.workspaceId())) {
            views.add(new Views.SubscriptionView(
                    subscription,
                    subscriptions.deliveries(
                            session.workspaceId(), subscription.id().value(), Optional.empty(), RECENT_DELIVERIES)));
        }
        return WebResponse.html(
                status,
                templates.render(
                        "webhooks.jte",
                        new Views.WebhooksPage(
                                pages.chrome(session, "Webhooks", "webhooks"),
                                views,
                                error,
                                done.map(WebhookPages::message).filter(message -> !message.isEmpty()))));
    }

    private static String message(String done) {
        return switch (done) {
            case "created" -> "Subscription created.";
            case "ping-delivered" -> "Ping delivered.";
            case "ping-failed" -> "The ping was not delivered; see its delivery below.";
            case "resent" -> "The notification will be sent again shortly.";
            default -> "";
        };
    }
}
