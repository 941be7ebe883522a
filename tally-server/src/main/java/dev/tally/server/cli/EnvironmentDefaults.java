package dev.tally.server.cli;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An option's value when its flag is not given: the {@code TALLY_*} variable named after the flag
 * ({@code --data-dir}: {@code TALLY_DATA_DIR}), else the option's own default. One rule, so a new
 * flag gets its variable without anyone spelling it.
 */
record EnvironmentDefaults(Map<String, String> environment) implements IDefaultValueProvider {
    EnvironmentDefaults {
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /** Picocli's, for the command line of the process. */
    EnvironmentDefaults() {
        this(System.getenv());
    }

    static String variable(String flag) {
        return "TALLY_" + flag.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public @Nullable String defaultValue(ArgSpec argument) {
        if (argument instanceof OptionSpec option && option.longestName().startsWith("--")) {
            String value = environment.get(variable(option.longestName()));
            if (value != null) {
                return value;
            }
        }
        // Picocli then takes the option's own defaultValue.
        return null;
    }
}
