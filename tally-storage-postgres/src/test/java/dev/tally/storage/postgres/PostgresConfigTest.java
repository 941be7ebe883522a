package dev.tally.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.error.StoreUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Configuration as operators write it; needs no database. */
class PostgresConfigTest {
    @Test
    void aJdbcUrlIsUsedAsGiven() {
        PostgresConfig config = PostgresConfig.of(
                "jdbc:postgresql://db:5432/tally?sslmode=require", Optional.of("tally"), Optional.empty(), 8);

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/tally?sslmode=require");
        assertThat(config.user()).contains("tally");
        assertThat(config.poolSize()).isEqualTo(8);
    }

    @Test
    void aLibpqUriBecomesAJdbcUrlWithItsCredentialsTakenOut() {
        PostgresConfig config = PostgresConfig.of(
                "postgresql://app:p%40ss@db.internal:6432/tally?sslmode=require",
                Optional.empty(), Optional.empty(), 4);

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/tally?sslmode=require");
        assertThat(config.user()).contains("app");
        assertThat(config.password()).contains("p@ss");
    }

    @Test
    void credentialsGivenApartWinOverThoseInTheUri() {
        PostgresConfig config =
                PostgresConfig.of("postgres://app:old@db/tally", Optional.of("ops"), Optional.of("new"), 4);

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db/tally");
        assertThat(config.user()).contains("ops");
        assertThat(config.password()).contains("new");
    }

    @Test
    void theConfigNeverPrintsAPassword() {
        PostgresConfig config = PostgresConfig.of(
                "jdbc:postgresql://db/tally?user=app&password=hunter2", Optional.empty(), Optional.of("hunter3"), 4);

        assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("hunter3");
    }

    @Test
    void otherUrlsAndBadSettingsAreRefusedAtStart() {
        assertThatThrownBy(() -> PostgresConfig.of("mysql://db/tally", Optional.empty(), Optional.empty(), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> PostgresConfig.of("jdbc:postgresql://db/t", Optional.empty(), Optional.empty(), 0))
                .hasMessageContaining("pool size");
        PostgresConfig config = PostgresConfig.of("jdbc:postgresql://db/t", Optional.empty(), Optional.empty(), 1);
        assertThatThrownBy(() -> config.withSchema("Robert'); DROP TABLE")).hasMessageContaining("schema");
    }

    @Test
    void aDatabaseThatCannotBeReachedMakesOpeningFailAsUnavailable() {
        PostgresConfig unreachable = PostgresConfig.of(
                "jdbc:postgresql://127.0.0.1:1/tally?connectTimeout=2", Optional.of("x"), Optional.of("y"), 1);

        assertThatThrownBy(() -> PostgresTallyStore.open(unreachable))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("PostgreSQL");
    }
}
