package dev.tally.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a token secret, hex. Tokens are random 256-bit secrets, so an unsalted fast hash is
 * enough: there is nothing to brute-force, and lookup by hash stays one key read.
 */
public record TokenHash(String hex) {
    public TokenHash {
        requireNonNull(hex, "hex is null");
        if (hex.length() != 64) {
            throw new IllegalArgumentException("token hash must be 64 hex characters");
        }
    }

    /** Cloned per use: a clone skips the provider lookup {@code getInstance} does on every request. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static TokenHash of(String secret) {
        requireNonNull(secret, "secret is null");
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 digest cannot be cloned", e);
        }
        return new TokenHash(HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8))));
    }

    /** Constant-time comparison, so response timing says nothing about how much of a hash matched. */
    public boolean matches(TokenHash other) {
        return MessageDigest.isEqual(
                hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "TokenHash[" + hex.substring(0, 8) + "…]";
    }
}
