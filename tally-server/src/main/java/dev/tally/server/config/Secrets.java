package dev.tally.server.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** How config prints a secret: present or not, never its value. */
final class Secrets {
    private static final String HIDDEN = "***";

    /** {@code user:password@} in a URL's authority. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    /** {@code password=…} among a URL's parameters. */
    private static final Pattern PARAMETER_PASSWORD = Pattern.compile("(?i)([?&;]password=)[^&;]*");

    private Secrets() {}

    static String redact(Optional<String> secret) {
        return secret.map(value -> "Optional[" + HIDDEN + "]").orElse("Optional.empty");
    }

    static String redactUrl(String url) {
        String withoutUserInfo = URL_PASSWORD.matcher(url).replaceAll("$1" + HIDDEN + "@");
        return PARAMETER_PASSWORD.matcher(withoutUserInfo).replaceAll("$1" + HIDDEN);
    }
}
