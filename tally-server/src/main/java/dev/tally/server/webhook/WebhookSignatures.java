package dev.tally.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
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
    private WebhookSignatures() {}

    public static String hubSignature(String hubSecret, byte[] body) {
        return "sha1=" + HexFormat.of().formatHex(hmac("HmacSHA1", hubSecret.getBytes(StandardCharsets.UTF_8), body));
    }

    public static String standardSignature(String hubSecret, String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256", standardKey(hubSecret), signed));
    }

    static byte[] standardKey(String hubSecret) {
        return Base64.getDecoder().decode(hubSecret);
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
