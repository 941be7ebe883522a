package dev.tally.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;

/** The public handle of a token, used to list and revoke it; never the secret. */
public record TokenId(String value) {
    public TokenId {
        requireNonNull(value, "value is null");
        if (value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("token id must be 1-64 characters");
        }
    }

    public static TokenId random() {
        return new TokenId("tok_" + RandomIds.alphanumeric(12));
    }

    @Override
    public String toString() {
        return value;
    }
}
