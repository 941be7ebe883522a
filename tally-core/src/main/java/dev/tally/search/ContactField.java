package dev.tally.search;

import java.util.Optional;

/** Every field Tally stores on a contact. */
public enum ContactField implements Field {
    ID("id", ValueType.STRING, false),
    EXTERNAL_ID("external_id", ValueType.STRING, true),
    EMAIL("email", ValueType.STRING, true),
    NAME("name", ValueType.STRING, true),
    ROLE("role", ValueType.STRING, false),
    CREATED_AT("created_at", ValueType.DATE, false),
    UPDATED_AT("updated_at", ValueType.DATE, false);

    private final String wireName;
    private final ValueType type;
    private final boolean optional;

    ContactField(String wireName, ValueType type, boolean optional) {
        this.wireName = wireName;
        this.type = type;
        this.optional = optional;
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Whether a contact can lack this field, so that {@code = null} means something. */
    public boolean optional() {
        return optional;
    }

    public static Optional<ContactField> fromWireName(String name) {
        for (ContactField field : values()) {
            if (field.wireName.equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
