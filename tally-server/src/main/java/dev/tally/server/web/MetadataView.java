package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One metadata value as the dashboard shows it: money in its currency with that currency's minor
 * units, links clickable only when they are http(s), Stripe ids linked to Stripe's dashboard, and
 * dates as an instant the browser formats in the viewer's time zone.
 */
public record MetadataView(String key, String kind, String text, Optional<String> href, Optional<String> datetime) {
    private static final String STRIPE = "https://dashboard.stripe.com/";

    /** Stripe id prefixes and the dashboard page of each; any other id goes to Stripe's search. */
    private static final Map<String, String> STRIPE_PAGES = Map.ofEntries(
            Map.entry("cus_", "customers/"),
            Map.entry("ch_", "payments/"),
            Map.entry("pi_", "payments/"),
            Map.entry("py_", "payments/"),
            Map.entry("in_", "invoices/"),
            Map.entry("sub_", "subscriptions/"),
            Map.entry("prod_", "products/"),
            Map.entry("price_", "prices/"),
            Map.entry("re_", "refunds/"),
            Map.entry("po_", "payouts/"));

    public MetadataView {
        requireNonNull(key, "key is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        requireNonNull(href, "href is null");
        requireNonNull(datetime, "datetime is null");
    }

    public static List<MetadataView> of(Metadata metadata) {
        List<MetadataView> views = new ArrayList<>();
        metadata.values().forEach((key, value) -> views.add(of(key, value)));
        return List.copyOf(views);
    }

    static MetadataView of(String key, MetadataValue value) {
        return switch (value) {
            case MetadataValue.StringValue string -> plain(key, "text", string.value());
            case MetadataValue.NumberValue number ->
                plain(key, "number", number.value().toPlainString());
            case MetadataValue.DateValue date -> {
                String instant = Instant.ofEpochSecond(date.epochSeconds()).toString();
                yield new MetadataView(key, "date", instant, Optional.empty(), Optional.of(instant));
            }
            case MetadataValue.LinkValue link ->
                new MetadataView(key, "link", link.url(), safeUrl(link.url()), Optional.empty());
            case MetadataValue.RichLinkValue rich ->
                new MetadataView(key, "rich-link", rich.value(), safeUrl(rich.url()), Optional.empty());
            case MetadataValue.StripeValue stripe ->
                new MetadataView(
                        key, "stripe", stripe.stripeId(), Optional.of(stripeUrl(stripe.stripeId())), Optional.empty());
            case MetadataValue.MoneyValue money -> plain(key, "money", money(money.amount(), money.currency()));
        };
    }

    /** {@code €349.99} for 34999 eur, {@code ¥5,000} for 5000 jpy: the amount is in minor units. */
    static String money(long amount, String currencyCode) {
        Currency currency;
        try {
            currency = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new BigDecimal(amount).movePointLeft(2).toPlainString() + " "
                    + currencyCode.toUpperCase(Locale.ROOT);
        }
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format.format(new BigDecimal(amount).movePointLeft(digits));
    }

    /** The URL when it is an absolute http or https URL; anything else (javascript:, data:) is no link. */
    static Optional<String> safeUrl(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme();
            if (scheme != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null) {
                return Optional.of(uri.toString());
            }
        } catch (java.net.URISyntaxException e) {
            // Not a URL: shown as text.
        }
        return Optional.empty();
    }

    static String stripeUrl(String id) {
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> page : STRIPE_PAGES.entrySet()) {
            if (id.startsWith(page.getKey())) {
                return STRIPE + page.getValue() + encoded;
            }
        }
        return STRIPE + "search?query=" + encoded;
    }

    private static MetadataView plain(String key, String kind, String text) {
        return new MetadataView(key, kind, text, Optional.empty(), Optional.empty());
    }
}
