package dev.tally.workspace;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A workspace's public {@code app_id}, the one Intercom's snippet puts in pages. It is not a
 * secret: it lets a browser send events to the workspace's browser endpoint, and nothing else.
 */
public record AppId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9]{4,32}");

    public AppId {
        requireNonNull(value, "value is null");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("app_id must be 4-32 of [a-z0-9]");
        }
    }

    /** Eight lower-case letters and digits, like Intercom's app ids. */
    public static AppId random() {
        return new AppId(RandomIds.alphanumeric(8));
    }

    /** The app id in {@code text}, if it has the shape of one. */
    public static java.util.Optional<AppId> parse(String text) {
        return text != null && SHAPE.matcher(text).matches()
                ? java.util.Optional.of(new AppId(text))
                : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
