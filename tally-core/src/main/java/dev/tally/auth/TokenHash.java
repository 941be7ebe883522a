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

    public static TokenHash of(String secret) {
        requireNonNull(secret, "secret is null");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return new TokenHash(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
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
