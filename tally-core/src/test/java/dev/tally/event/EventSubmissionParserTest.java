package dev.tally.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.ContactId;
import dev.tally.contact.ContactRef;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.json.TallyJson;
import dev.tally.metadata.MetadataLimits;
import dev.tally.metadata.MetadataValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventSubmissionParserTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final long NOW_SECONDS = NOW.getEpochSecond();

    private final EventSubmissionParser parser = new EventSubmissionParser(MetadataLimits.INTERCOM);

    @Test
    void completeEventIsParsed() {
        EventSubmission submission = parse("{'event_name':'Placed.Order','created_at':1392036272,'user_id':'314159',"
                + "'metadata':{'order_date':1392036272,'note':'hi'}}");

        assertThat(submission.name()).isEqualTo(EventName.of("placed-order"));
        assertThat(submission.createdAt()).isEqualTo(1392036272L);
        assertThat(submission.contact()).isEqualTo(new ContactRef.ByExternalId("314159"));
        assertThat(submission.metadata().values())
                .containsEntry("order_date", new MetadataValue.DateValue(1392036272L))
                .containsEntry("note", new MetadataValue.StringValue("hi"));
        assertThat(submission.keysOverLimit()).isEmpty();
    }

    @Test
    void missingEventNameIsReportedAsNotFoundWithItsField() {
        assertThat(rejection("{'created_at':1,'user_id':'1'}"))
                .extracting(TallyError::code, TallyError::field)
                .containsExactly(ErrorCode.PARAMETER_NOT_FOUND, Optional.of("event_name"));
        assertThat(rejection("{'event_name':null,'created_at':1,'user_id':'1'}").code())
                .isEqualTo(ErrorCode.PARAMETER_NOT_FOUND);
    }

    @Test
    void missingCreatedAtIsReportedAsNotFoundWithItsField() {
        assertThat(rejection("{'event_name':'x','user_id':'1'}"))
                .extracting(TallyError::code, TallyError::field)
                .containsExactly(ErrorCode.PARAMETER_NOT_FOUND, Optional.of("created_at"));
    }

    @Test
    void eventNameOfTheWrongTypeIsInvalid() {
        assertThat(rejection("{'event_name':42,'created_at':1,'user_id':'1'}"))
                .extracting(TallyError::code, TallyError::field)
                .containsExactly(ErrorCode.PARAMETER_INVALID, Optional.of("event_name"));
        assertThat(rejection("{'event_name':'  ','created_at':1,'user_id':'1'}").field())
                .contains("event_name");
        assertThat(rejection("{'event_name':'a\\nb','created_at':1,'user_id':'1'}")
                        .field())
                .contains("event_name");
    }

    @Test
    void eventNameOver255CharactersIsInvalid() {
        String name = "a".repeat(256);

        TallyError error = rejection("{'event_name':'" + name + "','created_at':1,'user_id':'1'}");

        assertThat(error.field()).contains("event_name");
        assertThat(error.message()).contains("256").contains("255");
        assertThat(parse("{'event_name':'" + "a".repeat(255) + "','created_at':1,'user_id':'1'}")
                        .name()
                        .value())
                .hasSize(255);
    }

    @Test
    void eventNameThatGrowsPast255CharactersWhenLowerCasedIsInvalidNotACrash() {
        // U+0130 (capital I with dot) lower-cases to two characters: 200 of them become 400.
        String name = "\u0130".repeat(200);

        TallyError error = rejection("{'event_name':'" + name + "','created_at':1,'user_id':'1'}");

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(error.field()).contains("event_name");
    }

    @Test
    void createdAtOfTheWrongTypeIsInvalid() {
        for (String createdAt : new String[] {"'1392036272'", "1392036272.5", "true", "{}", "99999999999999999999"}) {
            assertThat(rejection("{'event_name':'x','created_at':" + createdAt + ",'user_id':'1'}"))
                    .as("created_at %s", createdAt)
                    .extracting(TallyError::code, TallyError::field)
                    .containsExactly(ErrorCode.PARAMETER_INVALID, Optional.of("created_at"));
        }
    }

    @Test
    void negativeCreatedAtIsInvalid() {
        TallyError error = rejection("{'event_name':'x','created_at':-1,'user_id':'1'}");

        assertThat(error.field()).contains("created_at");
        assertThat(error.message()).contains("negative");
    }

    @Test
    void createdAtUpToADayAheadIsAccepted() {
        long latest = NOW.plus(Duration.ofDays(1)).getEpochSecond();

        assertThat(parse("{'event_name':'x','created_at':" + latest + ",'user_id':'1'}")
                        .createdAt())
                .isEqualTo(latest);
        assertThat(parse("{'event_name':'x','created_at':0,'user_id':'1'}").createdAt())
                .isZero();
    }

    @Test
    void createdAtInMillisecondsIsRejectedSayingSo() {
        long millis = NOW.toEpochMilli();

        TallyError error = rejection("{'event_name':'x','created_at':" + millis + ",'user_id':'1'}");

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(error.field()).contains("created_at");
        assertThat(error.message()).contains("milliseconds").contains(Long.toString(NOW_SECONDS));
    }

    @Test
    void createdAtAFewDaysAheadIsRejectedWithoutBlamingMilliseconds() {
        long threeDaysAhead = NOW.plus(Duration.ofDays(3)).getEpochSecond();

        TallyError error = rejection("{'event_name':'x','created_at':" + threeDaysAhead + ",'user_id':'1'}");

        assertThat(error.field()).contains("created_at");
        assertThat(error.message()).contains("more than a day in the future").doesNotContain("milliseconds");
    }

    @Test
    void absentCreatedAtTakesTheDefaultWhenOneIsGiven() {
        EventSubmission submission =
                parser.parse(json("{'event_name':'x','user_id':'1'}"), NOW, Optional.of(NOW_SECONDS));

        assertThat(submission.createdAt()).isEqualTo(NOW_SECONDS);
    }

    @Test
    void givenCreatedAtWinsOverTheDefault() {
        EventSubmission submission =
                parser.parse(json("{'event_name':'x','created_at':5,'user_id':'1'}"), NOW, Optional.of(NOW_SECONDS));

        assertThat(submission.createdAt()).isEqualTo(5);
    }

    @Test
    void idWinsOverUserIdAndEmail() {
        assertThat(contactOf("'id':'abc','user_id':'314159','email':'x@example.com'"))
                .isEqualTo(new ContactRef.ById(new ContactId("abc")));
    }

    @Test
    void userIdWinsOverEmail() {
        assertThat(contactOf("'user_id':'314159','email':'x@example.com'"))
                .isEqualTo(new ContactRef.ByExternalId("314159"));
    }

    @Test
    void emailAloneNamesTheContact() {
        assertThat(contactOf("'email':'x@example.com'")).isEqualTo(new ContactRef.ByEmail("x@example.com"));
    }

    @Test
    void emptyOrNullIdentifiersAreSkipped() {
        assertThat(contactOf("'id':'','user_id':null,'email':'x@example.com'"))
                .isEqualTo(new ContactRef.ByEmail("x@example.com"));
    }

    @Test
    void numericUserIdIsTakenAsText() {
        assertThat(contactOf("'user_id':314159")).isEqualTo(new ContactRef.ByExternalId("314159"));
    }

    @Test
    void numericEmailIsInvalid() {
        assertThat(rejection("{'event_name':'x','created_at':1,'email':42}"))
                .extracting(TallyError::code, TallyError::field)
                .containsExactly(ErrorCode.PARAMETER_INVALID, Optional.of("email"));
    }

    @Test
    void identifierOfTheWrongTypeIsInvalid() {
        assertThat(rejection("{'event_name':'x','created_at':1,'user_id':{'a':1}}")
                        .field())
                .contains("user_id");
        assertThat(rejection("{'event_name':'x','created_at':1,'id':true}").field())
                .contains("id");
    }

    @Test
    void everyIdentifierIsCheckedEvenWhenAnEarlierOneNamesTheContact() {
        assertThat(rejection("{'event_name':'x','created_at':1,'user_id':'314159','email':123}")
                        .field())
                .contains("email");
        assertThat(rejection("{'event_name':'x','created_at':1,'id':'abc','user_id':{}}")
                        .field())
                .contains("user_id");
        assertThat(rejection("{'event_name':'x','created_at':1,'user_id':'u','email':'" + "e".repeat(256) + "'}")
                        .field())
                .contains("email");
    }

    @Test
    void overlongIdIsInvalidNotACrash() {
        TallyError error = rejection("{'event_name':'x','created_at':1,'id':'" + "a".repeat(65) + "'}");

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(error.field()).contains("id");
    }

    @Test
    void overlongUserIdIsInvalid() {
        assertThat(rejection("{'event_name':'x','created_at':1,'user_id':'" + "a".repeat(256) + "'}")
                        .field())
                .contains("user_id");
    }

    @Test
    void eventWithoutAnyIdentifierIsRejected() {
        TallyError error = rejection("{'event_name':'x','created_at':1}");

        assertThat(error.code()).isEqualTo(ErrorCode.PARAMETER_NOT_FOUND);
        assertThat(error.field()).contains("user_id");
        assertThat(error.message()).contains("id").contains("user_id").contains("email");
    }

    @Test
    void unknownFieldsAreIgnored() {
        EventSubmission submission =
                parse("{'event_name':'x','created_at':1,'user_id':'1','type':'event','intercom_user_id':'zzz'}");

        assertThat(submission.contact()).isEqualTo(new ContactRef.ByExternalId("1"));
    }

    @Test
    void bodyThatIsNotAnObjectIsInvalid() {
        assertThat(rejection("[1]").field()).contains("body");
    }

    @Test
    void metadataErrorsKeepTheirField() {
        assertThat(rejection("{'event_name':'x','created_at':1,'user_id':'1','metadata':{'tags':[1]}}")
                        .field())
                .contains("metadata.tags");
    }

    @Test
    void metadataKeysPastTheLimitAreReported() {
        StringBuilder metadata = new StringBuilder("{");
        for (int i = 1; i <= 12; i++) {
            metadata.append(i == 1 ? "" : ",")
                    .append("'k")
                    .append(i)
                    .append("':")
                    .append(i);
        }
        EventSubmission submission =
                parse("{'event_name':'x','created_at':1,'user_id':'1','metadata':" + metadata.append("}") + "}");

        assertThat(submission.metadata().size()).isEqualTo(10);
        assertThat(submission.keysOverLimit()).containsExactly("k11", "k12");
    }

    private ContactRef contactOf(String identifiers) {
        return parse("{'event_name':'x','created_at':1," + identifiers + "}").contact();
    }

    private EventSubmission parse(String singleQuoted) {
        return parser.parse(json(singleQuoted), NOW, Optional.empty());
    }

    private TallyError rejection(String singleQuoted) {
        JsonNode body = json(singleQuoted);
        TallyException thrown =
                catchThrowableOfType(TallyException.class, () -> parser.parse(body, NOW, Optional.empty()));
        assertThat(thrown).as("%s should be rejected", singleQuoted).isNotNull();
        assertThat(thrown.errors()).hasSize(1);
        return thrown.errors().get(0);
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return TallyJson.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new AssertionError("test JSON is invalid: " + singleQuoted, e);
        }
    }
}
