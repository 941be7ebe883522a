package dev.tally.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token may do. */
public enum Scope {
    READ,
    WRITE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromWireName(String name) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
