package dev.tally.workspace;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A workspace's identity-verification secret: the site's server signs a user's id with it
 * ({@code user_hash}), and the browser endpoint accepts the user's identity only with that
 * signature. Its {@link #toString()} never shows the value, so it cannot reach a log by accident.
 */
public record IdentitySecret(String value) {
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    public IdentitySecret {
        requireNonNull(value, "value is null");
        if (value.length() < 16 || value.length() > 128) {
            throw new IllegalArgumentException("an identity-verification secret must be 16-128 characters");
        }
    }

    /** 32 random bytes as 64 hex characters. */
    public static IdentitySecret random() {
        return new IdentitySecret(RandomIds.hex(32));
    }

    /** The hex HMAC-SHA256 of {@code subject} keyed with this secret: what a site computes as {@code user_hash}. */
    public String sign(String subject) {
        return HEX.formatHex(mac(subject));
    }

    /**
     * True when {@code userHash} is the HMAC-SHA256 of {@code subject}, in upper- or lower-case hex.
     * Compared in constant time, so the time taken says nothing about how much of a guess was right.
     */
    public boolean verifies(String subject, String userHash) {
        requireNonNull(subject, "subject is null");
        requireNonNull(userHash, "userHash is null");
        byte[] expected = HEX.formatHex(mac(subject)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = userHash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    private byte[] mac(String subject) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(subject.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "IdentitySecret[redacted]";
    }
}
