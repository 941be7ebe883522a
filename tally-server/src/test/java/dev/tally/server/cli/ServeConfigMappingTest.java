package dev.tally.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.metadata.MetadataLimits;
import dev.tally.server.config.ApiLimits;
import dev.tally.server.config.BrowserConfig;
import dev.tally.server.config.ClientTimeouts;
import dev.tally.server.config.DatabaseConfig;
import dev.tally.server.config.MetricsConfig;
import dev.tally.server.config.RateLimitConfig;
import dev.tally.server.config.ServerConfig;
import dev.tally.server.config.StorageType;
import dev.tally.server.config.WebhookConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag and variable of {@code tally serve} mapped to its setting and default, after Airlift's
 * {@code assertRecordedDefaults} and {@code assertFullMapping}; and the README's configuration table
 * checked against the command.
 */
class ServeConfigMappingTest {
    private static final String BOOTSTRAP = "bootstrap-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789abc";

    /** Every flag with a value other than its default, and the same as variables. */
    private static final Map<String, String> NON_DEFAULTS = nonDefaults();

    /** Variables that are not flags of {@code tally serve}: secrets, and what the launcher and logging read. */
    private static final Set<String> ENVIRONMENT_ONLY = Set.of(
            "TALLY_BOOTSTRAP_TOKEN",
            "TALLY_ADMIN_TOKEN",
            "TALLY_DATABASE_PASSWORD",
            "TALLY_JAVA_OPTS",
            "TALLY_LOG_LEVEL",
            "TALLY_ACCESS_LOG",
            "TALLY_LOG_FORMAT");

    private static Map<String, String> nonDefaults() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("--host", "127.0.0.1");
        values.put("--port", "9090");
        values.put("--data-dir", "/var/lib/tally");
        values.put("--public-url", "https://events.example.com");
        values.put("--storage", "postgres");
        values.put("--database-url", "jdbc:postgresql://db.example.com/tally");
        values.put("--database-user", "tally");
        values.put("--database-schema", "events");
        values.put("--database-pool-size", "4");
        values.put("--max-body-bytes", "2048");
        values.put("--max-batch-body-bytes", "4096");
        values.put("--max-per-page", "10");
        values.put("--max-string-length", "100");
        values.put("--rate-limit", "off");
        values.put("--idle-timeout-seconds", "5");
        values.put("--max-connections", "7");
        values.put("--header-timeout-seconds", "3");
        values.put("--body-timeout-seconds", "4");
        values.put("--min-body-rate", "100");
        values.put("--metrics-port", "9100");
        values.put("--browser-rate-limit", "off");
        values.put("--browser-rate-limit-per-address", "60");
        values.put("--webhook-retry-schedule", "1s,2s,5s");
        values.put("--webhook-timeout", "3s");
        values.put("--webhooks-allow-private", "true");
        values.put("--webhook-disable-after", "2h");
        values.put("--webhook-concurrency", "8");
        values.put("--webhook-retention", "1d");
        values.put("--webhook-saturated-rate", "50");
        return values;
    }

    private static final ServerConfig FULL = new ServerConfig(
            "127.0.0.1",
            9090,
            Path.of("/var/lib/tally"),
            Optional.of("https://events.example.com"),
            StorageType.POSTGRES,
            Optional.of(new DatabaseConfig(
                    "jdbc:postgresql://db.example.com/tally",
                    Optional.of("tally"),
                    Optional.of("pg-secret"),
                    4,
                    Optional.of("events"))),
            Optional.of(BOOTSTRAP),
            Optional.of(ADMIN),
            new ApiLimits(2048, 4096, 10, 10, new MetadataLimits(10, 100, 255)),
            RateLimitConfig.OFF,
            Duration.ofSeconds(5),
            7,
            Duration.ofSeconds(20),
            new ClientTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(4), 100),
            new MetricsConfig(OptionalInt.of(9100)),
            new BrowserConfig(0, 60),
            new WebhookConfig(
                    List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                    Duration.ofSeconds(3),
                    true,
                    Duration.ofHours(2),
                    8,
                    Duration.ofDays(1),
                    50));

    private static final Map<String, String> SECRETS = Map.of(
            "TALLY_BOOTSTRAP_TOKEN", BOOTSTRAP, "TALLY_ADMIN_TOKEN", ADMIN, "TALLY_DATABASE_PASSWORD", "pg-secret");

    @Test
    void withNothingSetEverySettingHasItsDocumentedDefault() {
        assertThat(config(Map.of())).isEqualTo(ServerConfig.embedded(8080, Path.of("./data")));
    }

    @Test
    void everyFlagMapsToItsSetting() {
        List<String> arguments = new ArrayList<>();
        NON_DEFAULTS.forEach((flag, value) -> {
            arguments.add(flag);
            arguments.add(value);
        });
        assertThat(config(SECRETS, arguments.toArray(String[]::new))).isEqualTo(FULL);
    }

    @Test
    void everyVariableMapsToTheSameSettingAsItsFlag() {
        Map<String, String> environment = new HashMap<>(SECRETS);
        NON_DEFAULTS.forEach((flag, value) -> environment.put(EnvironmentDefaults.variable(flag), value));
        assertThat(config(environment)).isEqualTo(FULL);
    }

    @Test
    void aFlagWinsOverItsVariable() {
        assertThat(config(Map.of("TALLY_PORT", "9090"), "--port", "9191").port())
                .isEqualTo(9191);
    }

    @Test
    void theMappingCoversEveryFlagAndNoSecretIsAFlag() {
        assertThat(flags()).containsExactlyInAnyOrderElementsOf(NON_DEFAULTS.keySet());
        assertThat(flags().stream().map(EnvironmentDefaults::variable)).doesNotContainAnyElementsOf(SECRETS.keySet());
        assertThat(ServeCommand.SECRET_VARIABLES).containsExactlyInAnyOrderElementsOf(SECRETS.keySet());
    }

    @Test
    void configPrintsNoSecret() {
        ServerConfig config = FULL.withPostgres(new DatabaseConfig(
                "postgresql://tally:pg-secret@db/tally?password=pg-secret",
                Optional.of("tally"),
                Optional.of("pg-secret"),
                4,
                Optional.empty()));
        String printed = config.toString();

        assertThat(printed)
                .doesNotContain("pg-secret")
                .doesNotContain(BOOTSTRAP)
                .doesNotContain(ADMIN)
                .contains("db/tally")
                .contains("127.0.0.1");
    }

    /** The README's table: a row per flag with its variable and default, and a row per secret with no flag. */
    @Test
    void theReadmeTableListsEveryFlagVariableAndDefault() throws IOException {
        Map<String, Row> rows = readmeRows();
        CommandLine command = new CommandLine(new ServeCommand());
        for (String flag : flags()) {
            String variable = EnvironmentDefaults.variable(flag);
            assertThat(rows).as("README row for %s", variable).containsKey(variable);
            Row row = rows.get(variable);
            assertThat(row.flags()).as("flag of %s in the README", variable).contains(flag);
            String defaultValue = command.getCommandSpec().findOption(flag).defaultValue();
            if (defaultValue != null) {
                assertThat(row.defaultValue())
                        .as("default of %s in the README", variable)
                        .isEqualTo("`" + defaultValue + "`");
            }
        }
        Set<String> withoutFlag = rows.entrySet().stream()
                .filter(entry -> entry.getValue().flags().isEmpty())
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(withoutFlag).containsExactlyInAnyOrderElementsOf(ENVIRONMENT_ONLY);
        for (Row row : rows.values()) {
            assertThat(flags()).containsAll(row.flags());
        }
    }

    private record Row(List<String> flags, String defaultValue) {}

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static Map<String, Row> readmeRows() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (!line.startsWith("| `TALLY_")) {
                continue;
            }
            String[] cells = line.split("\\|");
            List<String> variables = codes(cells[1]);
            List<String> flags = codes(cells[2]);
            for (int i = 0; i < variables.size(); i++) {
                rows.put(
                        variables.get(i),
                        new Row(flags.isEmpty() ? List.of() : List.of(flags.get(i)), cells[3].strip()));
            }
        }
        return rows;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(cell);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private static List<String> flags() {
        return new CommandLine(new ServeCommand())
                .getCommandSpec().options().stream()
                        .map(OptionSpec::longestName)
                        .filter(name -> !name.equals("--help") && !name.equals("--version"))
                        .toList();
    }

    private static ServerConfig config(Map<String, String> environment, String... arguments) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve)
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                .parseArgs(arguments);
        return serve.config();
    }
}
