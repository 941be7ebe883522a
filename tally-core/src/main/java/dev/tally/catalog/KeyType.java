package dev.tally.catalog;

import dev.tally.metadata.MetadataValue;
import java.util.Locale;

/** The type a tracked metadata key was seen with, named as Intercom names metadata types. */
public enum KeyType {
    STRING,
    NUMBER,
    DATE,
    LINK,
    RICH_LINK,
    MONEY,
    STRIPE_ID;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyType of(MetadataValue value) {
        return switch (value) {
            case MetadataValue.StringValue string -> STRING;
            case MetadataValue.NumberValue number -> NUMBER;
            case MetadataValue.DateValue date -> DATE;
            case MetadataValue.LinkValue link -> LINK;
            case MetadataValue.RichLinkValue richLink -> RICH_LINK;
            case MetadataValue.MoneyValue money -> MONEY;
            case MetadataValue.StripeValue stripe -> STRIPE_ID;
        };
    }

    /** Parses {@link #wireName()}; throws {@link IllegalArgumentException} for anything else. */
    public static KeyType fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
