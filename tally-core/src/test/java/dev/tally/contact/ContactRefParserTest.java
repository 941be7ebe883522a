package dev.tally.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.json.TallyJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContactRefParserTest {
    private static final List<String> BODY = List.of("id", "intercom_user_id", "user_id", "email");
    private static final List<String> QUERY = List.of("user_id", "email", "intercom_user_id");

    @Test
    void theFirstFieldGivenInTheCallersOrderWins() {
        assertThat(fromJson("{\"email\":\"a@example.com\",\"user_id\":\"u\"}"))
                .contains(new ContactRef.ByExternalId("u"));
        assertThat(fromJson("{\"intercom_user_id\":\"abc\",\"user_id\":\"u\"}"))
                .contains(new ContactRef.ById(new ContactId("abc")));
    }

    @Test
    void nullAndEmptyMeanNotGivenInABody() {
        assertThat(rejection(() -> fromJson("{\"id\":\"\",\"user_id\":null}")).code())
                .isEqualTo(ErrorCode.PARAMETER_NOT_FOUND);
    }

    @Test
    void aWholeNumberIsAnIdButNeverAnEmail() {
        assertThat(fromJson("{\"user_id\":314159}")).contains(new ContactRef.ByExternalId("314159"));
        assertThat(rejection(() -> fromJson("{\"email\":42}")).field()).contains("email");
        assertThat(rejection(() -> fromJson("{\"user_id\":1.5}")).field()).contains("user_id");
    }

    @Test
    void lengthsAreTheSameInABodyAndInAQuery() {
        assertThat(rejection(() -> fromJson("{\"id\":\"" + "a".repeat(65) + "\"}"))
                        .field())
                .contains("id");
        assertThat(rejection(() -> fromQuery(Map.of("intercom_user_id", "a".repeat(65))))
                        .field())
                .contains("intercom_user_id");
        assertThat(fromQuery(Map.of("user_id", "u".repeat(255)))).isPresent();
        assertThat(rejection(() -> fromQuery(Map.of("user_id", "u".repeat(256))))
                        .field())
                .contains("user_id");
        assertThat(rejection(() -> fromJson("{\"email\":\"" + "e".repeat(256) + "\"}"))
                        .field())
                .contains("email");
    }

    @Test
    void anEmptyOrControlCharacterQueryValueIsInvalid() {
        TallyError empty = rejection(() -> fromQuery(Map.of("email", "")));
        assertThat(empty.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(rejection(() -> fromQuery(Map.of("user_id", "a\u0001b"))).field())
                .contains("user_id");
    }

    @Test
    void twoQueryIdentifiersAreInvalidAndNoneIsEmpty() {
        assertThat(rejection(() -> fromQuery(Map.of("user_id", "u", "email", "e@example.com")))
                        .code())
                .isEqualTo(ErrorCode.PARAMETER_INVALID);
        assertThat(fromQuery(Map.of())).isEmpty();
        assertThat(fromQuery(Map.of("intercom_user_id", "abc")))
                .contains(new ContactRefParser.Named("intercom_user_id", new ContactRef.ById(new ContactId("abc"))));
    }

    private static Optional<ContactRef> fromJson(String json) {
        try {
            JsonNode body = TallyJson.mapper().readTree(json);
            return Optional.of(
                    ContactRefParser.fromJson(body, BODY, () -> TallyException.missing("user_id", "no contact")));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<ContactRefParser.Named> fromQuery(Map<String, String> parameters) {
        return ContactRefParser.fromParameters(name -> Optional.ofNullable(parameters.get(name)), QUERY);
    }

    private static TallyError rejection(Runnable call) {
        return catchThrowableOfType(TallyException.class, call::run).errors().get(0);
    }
}
