package dev.tally.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signatures of a notification, both over the exact bytes sent.
 *
 * <ul>
 *   <li>Intercom's {@code X-Hub-Signature: sha1=<hex>}: HMAC-SHA1 of the body, keyed with the
 *       hub_secret's characters.
 *   <li>Standard Webhooks' {@code webhook-signature: v1,<base64>}: HMAC-SHA256 of
 *       {@code "{webhook-id}.{webhook-timestamp}.{body}"}, keyed with the hub_secret read as base64
 *       (the Standard Webhooks libraries take {@code "whsec_" + hub_secret}).
 * </ul>
 */
public final class WebhookSignatures {
    /**
     * A keyed MAC per algorithm and secret, cloned for each signature: looking up the provider and
     * keying the MAC cost more than signing a notification (a seventh of each delivery's CPU). Few
     * secrets are alive at once (one per subscription); past this many the cache starts over.
     */
    private static final int MAX_KEYED = 1_024;

    private static final Map<String, Mac> KEYED = new ConcurrentHashMap<>();

    private WebhookSignatures() {}

    public static String hubSignature(String hubSecret, byte[] body) {
        Mac mac = keyed("HmacSHA1", hubSecret, () -> hubSecret.getBytes(StandardCharsets.UTF_8));
        return "sha1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    public static String standardSignature(String hubSecret, String id, long timestamp, byte[] body) {
        Mac mac = keyed("HmacSHA256", hubSecret, () -> standardKey(hubSecret));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** A fresh MAC keyed with {@code key}: a clone of the cached one where the provider allows it. */
    private static Mac keyed(String algorithm, String secret, Supplier<byte[]> key) {
        String cacheKey = algorithm + ':' + secret;
        Mac prototype = KEYED.get(cacheKey);
        if (prototype == null) {
            if (KEYED.size() >= MAX_KEYED) {
                KEYED.clear();
            }
            prototype = newMac(algorithm, key.get());
            KEYED.put(cacheKey, prototype);
        }
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newMac(algorithm, key.get());
        }
    }

    private static Mac newMac(String algorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    static byte[] standardKey(String hubSecret) {
        return Base64.getDecoder().decode(hubSecret);
    }
}
