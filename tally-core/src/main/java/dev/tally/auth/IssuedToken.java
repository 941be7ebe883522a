package dev.tally.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;

/** A token just created: the only moment its secret exists outside the caller's hands. */
public record IssuedToken(AccessToken token, String secret) {
    public IssuedToken {
        requireNonNull(token, "token is null");
        requireNonNull(secret, "secret is null");
    }

    /** A fresh 256-bit secret with a recognisable prefix, so leaked tokens can be found by scanners. */
    public static String newSecret() {
        return "tally_" + RandomIds.hex(32);
    }

    @Override
    public String toString() {
        return "IssuedToken[" + token.id() + "]";
    }
}
