package dev.tally.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.json.TallyJson;
import dev.tally.metadata.MetadataValue.DateValue;
import dev.tally.metadata.MetadataValue.LinkValue;
import dev.tally.metadata.MetadataValue.MoneyValue;
import dev.tally.metadata.MetadataValue.NumberValue;
import dev.tally.metadata.MetadataValue.RichLinkValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.metadata.MetadataValue.StripeValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Types metadata JSON the way Intercom presents it, and writes it back as it was sent. The type of
 * a value follows from its key and JSON shape alone, so stored metadata re-reads to the same types.
 */
public final class MetadataJson {
    private static final Set<String> STRIPE_KEYS = Set.of("stripe_customer", "stripe_invoice", "stripe_charge");
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);
    private static final int MAX_NUMBER_PRECISION = 38;

    /** Limits large enough that anything once stored always reads back. */
    private static final MetadataLimits STORED =
            new MetadataLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private MetadataJson() {}

    /** Parsed metadata and the keys dropped because the event had more than the per-event limit. */
    public record Parsed(Metadata metadata, List<String> keysOverLimit) {
        public Parsed {
            requireNonNull(metadata, "metadata is null");
            keysOverLimit = List.copyOf(keysOverLimit);
        }
    }

    /**
     * Types a request's {@code metadata}. Throws {@link TallyException} naming the field
     * ({@code metadata.price}) for a value Tally cannot type.
     */
    public static Parsed parse(JsonNode node, MetadataLimits limits) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Parsed(Metadata.EMPTY, List.of());
        }
        if (!node.isObject()) {
            throw TallyException.invalid("metadata", "metadata must be a JSON object, not " + describe(node));
        }
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        List<String> overLimit = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            String field = "metadata." + key;
            checkKey(key, limits);
            if (values.size() >= limits.maxKeysPerEvent()) {
                overLimit.add(key);
                continue;
            }
            values.put(key, typeOf(key, entry.getValue(), field, limits));
        }
        return new Parsed(new Metadata(values), overLimit);
    }

    /** Re-reads metadata this class wrote, without request limits. */
    public static Metadata readStored(String json) {
        try {
            return parse(TallyJson.mapper().readTree(json), STORED).metadata();
        } catch (IOException e) {
            throw new UncheckedIOException("stored metadata is not JSON", e);
        }
    }

    public static String toJson(Metadata metadata) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = TallyJson.mapper().getFactory().createGenerator(out)) {
            write(generator, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(JsonGenerator out, Metadata metadata) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, MetadataValue> entry : metadata.values().entrySet()) {
            out.writeFieldName(entry.getKey());
            writeValue(out, entry.getValue());
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, MetadataValue value) throws IOException {
        switch (value) {
            case StringValue v -> out.writeString(v.value());
            case NumberValue v -> out.writeNumber(v.value().toPlainString());
            case DateValue v -> out.writeNumber(v.epochSeconds());
            case LinkValue v -> out.writeString(v.url());
            case StripeValue v -> out.writeString(v.stripeId());
            case RichLinkValue v -> {
                out.writeStartObject();
                out.writeStringField("url", v.url());
                out.writeStringField("value", v.value());
                out.writeEndObject();
            }
            case MoneyValue v -> {
                out.writeStartObject();
                out.writeNumberField("amount", v.amount());
                out.writeStringField("currency", v.currency());
                out.writeEndObject();
            }
        }
    }

    private static void checkKey(String key, MetadataLimits limits) {
        if (key.isBlank()) {
            throw TallyException.invalid("metadata", "metadata keys must not be empty");
        }
        if (key.length() > limits.maxKeyLength()) {
            throw TallyException.invalid(
                    "metadata",
                    "metadata key '" + InputText.abbreviate(key) + "' is longer than " + limits.maxKeyLength()
                            + " characters");
        }
        if (InputText.hasControlCharacter(key)) {
            throw TallyException.invalid(
                    "metadata", "metadata key '" + InputText.abbreviate(key) + "' contains control characters");
        }
    }

    private static MetadataValue typeOf(String key, JsonNode value, String field, MetadataLimits limits) {
        if (value.isTextual()) {
            String text = checkedString(value.textValue(), field, limits);
            if (STRIPE_KEYS.contains(key)) {
                return new StripeValue(text);
            }
            return isHttpUrl(text) ? new LinkValue(text) : new StringValue(text);
        }
        if (value.isNumber()) {
            return typeNumber(key, value, field);
        }
        if (value.isObject()) {
            return typeObject(value, field, limits);
        }
        if (value.isArray()) {
            throw TallyException.invalid(field, field + ": arrays are not supported in metadata; send a string");
        }
        if (value.isBoolean()) {
            throw TallyException.invalid(
                    field,
                    field + ": true/false is not a metadata type; send it as a string (\"" + value.asText() + "\")");
        }
        throw TallyException.invalid(field, field + " is null; leave the key out instead");
    }

    private static MetadataValue typeNumber(String key, JsonNode value, String field) {
        BigDecimal number = value.decimalValue();
        if (number.precision() > MAX_NUMBER_PRECISION || Math.abs(number.scale()) > MAX_NUMBER_PRECISION) {
            throw TallyException.invalid(
                    field, field + ": number " + InputText.abbreviate(value.asText()) + " is too large or too precise");
        }
        boolean dateKey = key.endsWith("_date") || key.endsWith("_at");
        if (dateKey && isIntegral(number)) {
            BigInteger seconds = number.toBigIntegerExact();
            if (seconds.signum() < 0 || seconds.compareTo(MAX_LONG) > 0) {
                throw TallyException.invalid(
                        field, field + " must be a unix timestamp in seconds (>= 0), got " + number.toPlainString());
            }
            return new DateValue(seconds.longValueExact());
        }
        return new NumberValue(number);
    }

    private static MetadataValue typeObject(JsonNode value, String field, MetadataLimits limits) {
        Set<String> names = new HashSet<>();
        value.fieldNames().forEachRemaining(names::add);
        if (names.equals(Set.of("url", "value"))) {
            JsonNode url = value.get("url");
            JsonNode text = value.get("value");
            if (!url.isTextual() || !isHttpUrl(url.textValue())) {
                throw TallyException.invalid(field + ".url", field + ".url must be an http or https URL");
            }
            if (!text.isTextual()) {
                throw TallyException.invalid(field + ".value", field + ".value must be a string");
            }
            return new RichLinkValue(
                    checkedString(url.textValue(), field + ".url", limits),
                    checkedString(text.textValue(), field + ".value", limits));
        }
        if (names.equals(Set.of("amount", "currency"))) {
            JsonNode amount = value.get("amount");
            JsonNode currency = value.get("currency");
            if (!amount.isIntegralNumber()
                    || amount.bigIntegerValue().signum() < 0
                    || amount.bigIntegerValue().compareTo(MAX_LONG) > 0) {
                throw TallyException.invalid(
                        field + ".amount",
                        field + ".amount must be a non-negative integer in minor units (2999 for 29.99)");
            }
            if (!currency.isTextual() || !isIsoCurrency(currency.textValue())) {
                throw TallyException.invalid(
                        field + ".currency", field + ".currency must be an ISO 4217 code such as \"usd\" or \"EUR\"");
            }
            return new MoneyValue(amount.longValue(), currency.textValue());
        }
        throw TallyException.invalid(
                field,
                field + ": an object must be a rich link {\"url\", \"value\"} or an amount {\"amount\", \"currency\"};"
                        + " other nesting is not supported");
    }

    private static String checkedString(String text, String field, MetadataLimits limits) {
        if (text.length() > limits.maxStringLength()) {
            throw TallyException.invalid(
                    field,
                    field + " is " + text.length() + " characters long; the limit is " + limits.maxStringLength());
        }
        if (text.indexOf('\u0000') >= 0) {
            throw TallyException.invalid(field, field + " contains a NUL character");
        }
        return text;
    }

    private static boolean isIntegral(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
    }

    static boolean isHttpUrl(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isIsoCurrency(String code) {
        if (code.length() != 3) {
            return false;
        }
        try {
            Currency.getInstance(code.toUpperCase(Locale.ROOT));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
