package dev.tally.metadata;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * One typed metadata value. Sealed so that adding a kind makes the compiler point at every switch
 * that must handle it.
 */
public sealed interface MetadataValue {

    /** A plain JSON string. */
    record StringValue(String value) implements MetadataValue {
        public StringValue {
            requireNonNull(value, "value is null");
        }
    }

    /** A JSON number, kept exact (3.670 stays 3.670). */
    record NumberValue(BigDecimal value) implements MetadataValue {
        public NumberValue {
            requireNonNull(value, "value is null");
        }
    }

    /** A unix timestamp in seconds under a key ending {@code _date} or {@code _at}. */
    record DateValue(long epochSeconds) implements MetadataValue {}

    /** An {@code http} or {@code https} URL. */
    record LinkValue(String url) implements MetadataValue {
        public LinkValue {
            requireNonNull(url, "url is null");
        }
    }

    /** {@code {"url": .., "value": ..}}. */
    record RichLinkValue(String url, String value) implements MetadataValue {
        public RichLinkValue {
            requireNonNull(url, "url is null");
            requireNonNull(value, "value is null");
        }
    }

    /** A Stripe id under {@code stripe_customer}, {@code stripe_invoice} or {@code stripe_charge}. */
    record StripeValue(String stripeId) implements MetadataValue {
        public StripeValue {
            requireNonNull(stripeId, "stripeId is null");
        }
    }

    /** {@code {"amount": .., "currency": ..}}: amount in minor units, currency ISO 4217 as sent. */
    record MoneyValue(long amount, String currency) implements MetadataValue {
        public MoneyValue {
            requireNonNull(currency, "currency is null");
            if (amount < 0) {
                throw new IllegalArgumentException("amount must be >= 0");
            }
        }
    }
}
