package dev.tally.server.webhook;

import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.service.SubscriptionService;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard. By default a webhook URL must be {@code https} and its host must resolve only to
 * public addresses: never loopback, private (RFC 1918, unique local), shared (100.64/10),
 * link-local (where cloud metadata lives: 169.254.169.254, fd00:ec2::254 is unique local),
 * unspecified, multicast, documentation or reserved ranges, in IPv4 or IPv6, and IPv6 forms that
 * embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address. The host is
 * checked when a subscription is created and resolved again at every delivery, where the sender
 * connects only to the addresses this guard returned, so a DNS answer that changes in between
 * (rebinding) cannot slip through. {@code allowPrivate} lifts all of it, plain http included.
 */
public final class EndpointGuard implements SubscriptionService.EndpointPolicy {
    static final int MAX_URL_LENGTH = 2048;

    /** Resolves a host name to its addresses (the system resolver, or a fake in tests). */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** A delivery refused by the guard: the message says why, without secrets. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        private final String reason;

        RefusedException(String reason) {
            super(reason);
            this.reason = reason;
        }

        /** Why the address was refused; never null, unlike {@link Throwable#getMessage()} in general. */
        @Override
        public String getMessage() {
            return reason;
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public EndpointGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public EndpointGuard(boolean allowPrivate) {
        this(allowPrivate, host -> List.of(InetAddress.getAllByName(host)));
    }

    boolean allowsPrivate() {
        return allowPrivate;
    }

    @Override
    public String check(String url) {
        URI uri = parse(url)
                .orElseThrow(() -> TallyException.invalid(
                        "url", "url must be an absolute https URL of at most " + MAX_URL_LENGTH + " characters"));
        try {
            checkScheme(uri);
            resolve(uri.getHost());
        } catch (RefusedException e) {
            throw TallyException.invalid("url", e.getMessage());
        }
        return uri.toString();
    }

    /** The URL as stored, or empty when it is not one Tally sends to (no host, user info, fragment). */
    static java.util.Optional<URI> parse(String url) {
        if (url.isEmpty() || url.length() > MAX_URL_LENGTH || InputText.hasControlCharacter(url)) {
            return java.util.Optional.empty();
        }
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || uri.getHost().isEmpty()
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(uri);
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    void checkScheme(URI uri) throws RefusedException {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (allowPrivate && scheme.equals("http"))) {
            return;
        }
        throw new RefusedException(
                allowPrivate
                        ? "url must be http or https"
                        : "url must be https (TALLY_WEBHOOKS_ALLOW_PRIVATE=true allows plain http for internal receivers)");
    }

    /** The addresses of {@code host} Tally may connect to; refuses when there is none. */
    List<InetAddress> resolve(String host) throws RefusedException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new RefusedException("url's host " + InputText.abbreviate(bare) + " does not resolve");
        }
        if (allowPrivate) {
            return addresses;
        }
        List<InetAddress> allowed = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            if (isPublic(address)) {
                allowed.add(address);
            }
        }
        if (allowed.isEmpty()) {
            throw new RefusedException("url's host " + InputText.abbreviate(bare)
                    + " resolves to a loopback, private, link-local or reserved address"
                    + " (TALLY_WEBHOOKS_ALLOW_PRIVATE=true allows them for internal receivers)");
        }
        return allowed;
    }

    /** True for an address on the public internet. */
    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes);
        }
        if (address instanceof Inet6Address) {
            return isPublicV6(bytes);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        int a2 = b[2] & 0xFF;
        return !(a0 == 0 // "this network", 0.0.0.0 unspecified
                || a0 == 10 // private
                || (a0 == 100 && a1 >= 64 && a1 <= 127) // shared address space (CGNAT; Alibaba's metadata)
                || a0 == 127 // loopback
                || (a0 == 169 && a1 == 254) // link-local, cloud metadata
                || (a0 == 172 && a1 >= 16 && a1 <= 31) // private
                || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments
                || (a0 == 192 && a1 == 0 && a2 == 2) // documentation
                || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
                || (a0 == 192 && a1 == 168) // private
                || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100) // documentation
                || (a0 == 203 && a1 == 0 && a2 == 113) // documentation
                || a0 >= 224); // multicast, reserved, broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // IPv4-mapped
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            // :: unspecified, ::1 loopback, ::a.b.c.d IPv4-compatible (deprecated): all refused.
            return false;
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 0x00 && second == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // NAT64 64:ff9b::/96 (and /48)
        }
        if (first == 0x20 && second == 0x02) {
            return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0x0D && (b[3] & 0xFF) == 0xB8) {
            return false; // documentation 2001:db8::/32
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            return false; // Teredo 2001::/32 tunnels to arbitrary IPv4
        }
        return !((first & 0xFE) == 0xFC // unique local fc00::/7 (AWS metadata fd00:ec2::254)
                || (first == 0xFE && (second & 0xC0) == 0x80) // link-local fe80::/10
                || (first == 0xFE && (second & 0xC0) == 0xC0) // site-local fec0::/10
                || first == 0xFF // multicast
                || (first == 0x01 && second == 0 && b[2] == 0 && b[3] == 0)); // discard-only 100::/64
    }
}
