package dev.tally.contact;

import java.util.Locale;
import java.util.Optional;

/** A user is known to the application (has an external id or email); a lead is addressed by id only. */
public enum Role {
    USER,
    LEAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
