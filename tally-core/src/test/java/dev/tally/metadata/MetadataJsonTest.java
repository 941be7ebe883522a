package dev.tally.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.json.TallyJson;
import dev.tally.metadata.MetadataValue.DateValue;
import dev.tally.metadata.MetadataValue.LinkValue;
import dev.tally.metadata.MetadataValue.MoneyValue;
import dev.tally.metadata.MetadataValue.NumberValue;
import dev.tally.metadata.MetadataValue.RichLinkValue;
import dev.tally.metadata.MetadataValue.StringValue;
import dev.tally.metadata.MetadataValue.StripeValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {
    private static final String ORDER = "{'order_date':1392036272,'stripe_invoice':'inv_3434343434',"
            + "'order_number':{'value':'3434-3434','url':'https://example.org/orders/3434-3434'},"
            + "'price':{'currency':'usd','amount':2999}}";

    @Test
    void orderSeedIsTypedAsDateStripeRichLinkAndMoney() {
        Metadata metadata = parse(ORDER).metadata();

        assertThat(metadata.values())
                .containsExactly(
                        Map.entry("order_date", new DateValue(1392036272L)),
                        Map.entry("stripe_invoice", new StripeValue("inv_3434343434")),
                        Map.entry(
                                "order_number", new RichLinkValue("https://example.org/orders/3434-3434", "3434-3434")),
                        Map.entry("price", new MoneyValue(2999, "usd")));
    }

    @Test
    void inviteSeedIsTypedAsStrings() {
        Metadata metadata = parse("{'invitee_email':'x@example.com','invite_code':'ADDAFRIEND'}")
                .metadata();

        assertThat(metadata.values())
                .containsExactly(
                        Map.entry("invitee_email", new StringValue("x@example.com")),
                        Map.entry("invite_code", new StringValue("ADDAFRIEND")));
    }

    @Test
    void numberIsKeptExactlyAsSent() {
        assertThat(value("{'load':3.67}")).isEqualTo(new NumberValue(new BigDecimal("3.67")));
        assertThat(value("{'load':3.670}")).isEqualTo(new NumberValue(new BigDecimal("3.670")));
        assertThat(value("{'count':42}")).isEqualTo(new NumberValue(new BigDecimal("42")));
        assertThat(value("{'delta':-0.1}")).isEqualTo(new NumberValue(new BigDecimal("-0.1")));
        assertThat(MetadataJson.toJson(parse("{'load':3.670}").metadata())).isEqualTo("{\"load\":3.670}");
    }

    @Test
    void wholeNumberUnderADateKeyIsADate() {
        assertThat(value("{'signed_up_at':1392036272}")).isEqualTo(new DateValue(1392036272L));
        assertThat(value("{'renewal_date':0}")).isEqualTo(new DateValue(0));
    }

    @Test
    void fractionalNumberUnderADateKeyStaysANumber() {
        assertThat(value("{'signed_up_at':1.5}")).isEqualTo(new NumberValue(new BigDecimal("1.5")));
    }

    @Test
    void negativeDateIsRejectedWithItsField() {
        assertThat(rejection("{'signed_up_at':-1}"))
                .isEqualTo(new TallyError(
                        ErrorCode.PARAMETER_INVALID,
                        "metadata.signed_up_at must be a unix timestamp in seconds (>= 0), got -1",
                        java.util.Optional.of("metadata.signed_up_at")));
    }

    @Test
    void keyThatOnlyContainsAtOrDateIsNotADate() {
        assertThat(value("{'attempts':3}")).isEqualTo(new NumberValue(new BigDecimal("3")));
        assertThat(value("{'update':3}")).isEqualTo(new NumberValue(new BigDecimal("3")));
    }

    @Test
    void httpAndHttpsUrlsAreLinks() {
        assertThat(value("{'article':'https://example.org/ab1de.html'}"))
                .isEqualTo(new LinkValue("https://example.org/ab1de.html"));
        assertThat(value("{'article':'http://example.org'}")).isEqualTo(new LinkValue("http://example.org"));
        assertThat(value("{'article':'HTTPS://Example.org/x'}")).isEqualTo(new LinkValue("HTTPS://Example.org/x"));
    }

    @Test
    void urlLikeStringsThatAreNotHttpLinksAreStrings() {
        assertThat(value("{'article':'ftp://example.org/ab1de.html'}"))
                .isEqualTo(new StringValue("ftp://example.org/ab1de.html"));
        assertThat(value("{'article':'http//x'}")).isEqualTo(new StringValue("http//x"));
        assertThat(value("{'article':'http://'}")).isEqualTo(new StringValue("http://"));
        assertThat(value("{'article':'example.org'}")).isEqualTo(new StringValue("example.org"));
    }

    @Test
    void everyStripeKeyIsAStripeReference() {
        Metadata metadata = parse("{'stripe_customer':'cus_42','stripe_invoice':'inv_42','stripe_charge':'ch_42'}")
                .metadata();

        assertThat(metadata.values())
                .containsExactly(
                        Map.entry("stripe_customer", new StripeValue("cus_42")),
                        Map.entry("stripe_invoice", new StripeValue("inv_42")),
                        Map.entry("stripe_charge", new StripeValue("ch_42")));
    }

    @Test
    void otherStripeLookingKeysAreStrings() {
        assertThat(value("{'stripe_refund':'re_42'}")).isEqualTo(new StringValue("re_42"));
    }

    @Test
    void currencyIsAcceptedInAnyCaseAndKeptAsSent() {
        assertThat(value("{'price':{'amount':0,'currency':'EUR'}}")).isEqualTo(new MoneyValue(0, "EUR"));
        assertThat(value("{'price':{'amount':100,'currency':'jpy'}}")).isEqualTo(new MoneyValue(100, "jpy"));
    }

    @Test
    void negativeAmountIsRejectedNamingTheAmountField() {
        TallyError error = rejection("{'price':{'amount':-1,'currency':'usd'}}");

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(error.field()).contains("metadata.price.amount");
        assertThat(error.message()).contains("non-negative integer");
    }

    @Test
    void fractionalAmountIsRejectedNamingTheAmountField() {
        assertThat(rejection("{'price':{'amount':29.99,'currency':'usd'}}").field())
                .contains("metadata.price.amount");
        assertThat(rejection("{'price':{'amount':'2999','currency':'usd'}}").field())
                .contains("metadata.price.amount");
    }

    @Test
    void unknownCurrencyIsRejectedNamingTheCurrencyField() {
        assertThat(rejection("{'price':{'amount':2999,'currency':'xyz'}}").field())
                .contains("metadata.price.currency");
        assertThat(rejection("{'price':{'amount':2999,'currency':'dollars'}}").field())
                .contains("metadata.price.currency");
        assertThat(rejection("{'price':{'amount':2999,'currency':840}}").field())
                .contains("metadata.price.currency");
    }

    @Test
    void richLinkNeedsAnHttpUrlAndAStringValue() {
        assertThat(rejection("{'order':{'url':'ftp://example.org','value':'x'}}")
                        .field())
                .contains("metadata.order.url");
        assertThat(rejection("{'order':{'url':'https://example.org','value':7}}")
                        .field())
                .contains("metadata.order.value");
    }

    @Test
    void arraysAreRejectedWithTheirField() {
        TallyError error = rejection("{'tags':['a','b']}");

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(error.field()).contains("metadata.tags");
        assertThat(error.message()).contains("arrays");
    }

    @Test
    void booleansAreRejectedSuggestingAString() {
        TallyError error = rejection("{'vip':true}");

        assertThat(error.field()).contains("metadata.vip");
        assertThat(error.message()).contains("\"true\"");
    }

    @Test
    void nullValueIsRejectedWithItsField() {
        assertThat(rejection("{'coupon':null}").field()).contains("metadata.coupon");
    }

    @Test
    void otherNestingIsRejected() {
        assertThat(rejection("{'a':{'b':1}}").field()).contains("metadata.a");
        assertThat(rejection("{'a':{'url':'https://example.org','value':'x','extra':1}}")
                        .field())
                .contains("metadata.a");
        assertThat(rejection("{'a':{'amount':1}}").field()).contains("metadata.a");
    }

    @Test
    void metadataThatIsNotAnObjectIsRejected() {
        assertThat(rejection("[1,2]").field()).contains("metadata");
        assertThat(rejection("'text'").field()).contains("metadata");
    }

    @Test
    void absentOrNullMetadataIsEmpty() {
        assertThat(MetadataJson.parse(null, MetadataLimits.INTERCOM).metadata()).isEqualTo(Metadata.EMPTY);
        assertThat(parse("null").metadata()).isEqualTo(Metadata.EMPTY);
        assertThat(parse("{}").metadata()).isEqualTo(Metadata.EMPTY);
    }

    @Test
    void stringOf255CharactersIsAcceptedAndOf256Rejected() {
        String limit = "x".repeat(255);

        assertThat(value("{'note':'" + limit + "'}")).isEqualTo(new StringValue(limit));

        TallyError error = rejection("{'note':'" + limit + "y'}");
        assertThat(error.field()).contains("metadata.note");
        assertThat(error.message()).contains("256").contains("255");
    }

    @Test
    void overlongStringInsideARichLinkIsRejected() {
        String text = "x".repeat(256);

        assertThat(rejection("{'order':{'url':'https://example.org','value':'" + text + "'}}")
                        .field())
                .contains("metadata.order.value");
    }

    @Test
    void stringContainingNulIsRejected() {
        TallyError error = rejection("{'note':'a\\u0000b'}");

        assertThat(error.field()).contains("metadata.note");
        assertThat(error.message()).contains("NUL");
    }

    @Test
    void blankKeyIsRejected() {
        assertThat(rejection("{' ':'x'}").field()).contains("metadata");
    }

    @Test
    void moreThanTenKeysKeepsTheFirstTenInOrderAndReportsTheRest() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 1; i <= 13; i++) {
            json.append(i == 1 ? "" : ",").append("'k").append(i).append("':").append(i);
        }
        MetadataJson.Parsed parsed = parse(json.append("}").toString());

        assertThat(parsed.metadata().keys())
                .containsExactly("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10");
        assertThat(parsed.keysOverLimit()).containsExactly("k11", "k12", "k13");
    }

    @Test
    void exactlyTenKeysAreAllKept() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 1; i <= 10; i++) {
            json.append(i == 1 ? "" : ",").append("'k").append(i).append("':'v'");
        }
        MetadataJson.Parsed parsed = parse(json.append("}").toString());

        assertThat(parsed.metadata().size()).isEqualTo(10);
        assertThat(parsed.keysOverLimit()).isEmpty();
    }

    @Test
    void storedJsonReadsBackToEqualMetadata() {
        Metadata metadata = parse(ORDER.replace(
                        "}}",
                        "},'load':3.670,'article':'https://example.org/ab1de.html',"
                                + "'invite_code':'ADDAFRIEND','stripe_customer':'cus_1','first_seen_at':0}"))
                .metadata();

        assertThat(metadata.size()).isEqualTo(9);
        assertThat(MetadataJson.readStored(MetadataJson.toJson(metadata))).isEqualTo(metadata);
    }

    @Test
    void storedJsonKeepsTheKeyOrderAsSent() {
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        values.put("zebra", new StringValue("z"));
        values.put("apple", new NumberValue(new BigDecimal("1.50")));
        values.put("mango_at", new DateValue(7));
        values.put("price", new MoneyValue(2999, "usd"));
        values.put("link", new RichLinkValue("https://example.org", "ex"));

        String json = MetadataJson.toJson(new Metadata(values));

        assertThat(json)
                .isEqualTo("{\"zebra\":\"z\",\"apple\":1.50,\"mango_at\":7,"
                        + "\"price\":{\"amount\":2999,\"currency\":\"usd\"},"
                        + "\"link\":{\"url\":\"https://example.org\",\"value\":\"ex\"}}");
        assertThat(MetadataJson.readStored(json).keys()).containsExactly("zebra", "apple", "mango_at", "price", "link");
    }

    @Test
    void storedLongStringsReadBackAlthoughRequestsWouldRejectThem() {
        Metadata metadata = new Metadata(Map.of("note", new StringValue("x".repeat(1000))));

        assertThat(MetadataJson.readStored(MetadataJson.toJson(metadata))).isEqualTo(metadata);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new MetadataLimits(0, 255, 255)).isInstanceOf(IllegalArgumentException.class);
    }

    private static MetadataJson.Parsed parse(String singleQuoted) {
        return MetadataJson.parse(json(singleQuoted), MetadataLimits.INTERCOM);
    }

    private static MetadataValue value(String singleQuoted) {
        Metadata metadata = parse(singleQuoted).metadata();
        assertThat(metadata.size()).isEqualTo(1);
        return metadata.values().values().iterator().next();
    }

    private static TallyError rejection(String singleQuoted) {
        JsonNode node = json(singleQuoted);
        TallyException thrown =
                catchThrowableOfType(TallyException.class, () -> MetadataJson.parse(node, MetadataLimits.INTERCOM));
        assertThat(thrown).as("metadata %s should be rejected", singleQuoted).isNotNull();
        assertThat(thrown.errors()).hasSize(1);
        return thrown.errors().get(0);
    }

    static JsonNode json(String singleQuoted) {
        try {
            return TallyJson.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new AssertionError("test JSON is invalid: " + singleQuoted, e);
        }
    }
}
