package dev.tally.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.error.TallyException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointGuardTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "0.1.2.3",
                "10.0.0.1",
                "100.64.0.1",
                "100.100.100.200",
                "127.0.0.1",
                "127.255.255.254",
                "169.254.169.254",
                "172.16.0.1",
                "172.31.255.255",
                "192.0.0.8",
                "192.0.2.1",
                "192.168.1.1",
                "198.18.0.1",
                "198.51.100.7",
                "203.0.113.9",
                "224.0.0.1",
                "240.0.0.1",
                "255.255.255.255",
                "::",
                "::1",
                "::ffff:127.0.0.1",
                "::ffff:10.1.2.3",
                "::ffff:169.254.169.254",
                "::127.0.0.1",
                "64:ff9b::10.0.0.1",
                "2002:0a00:0001::1",
                "fc00::1",
                "fd00:ec2::254",
                "fe80::1",
                "fec0::1",
                "ff02::1",
                "2001:db8::1",
                "2001::1",
                "100::1"
            })
    void refusesEveryNonPublicAddress(String literal) throws UnknownHostException {
        assertThat(EndpointGuard.isPublic(InetAddress.getByName(literal))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "172.32.0.1",
                "100.128.0.1",
                "2606:4700::1111",
                "::ffff:8.8.8.8",
                "64:ff9b::8.8.8.8",
                "2002:0808:0808::1"
            })
    void acceptsPublicAddresses(String literal) throws UnknownHostException {
        assertThat(EndpointGuard.isPublic(InetAddress.getByName(literal))).isTrue();
    }

    @Test
    void aHostThatResolvesToAPrivateAddressIsRefusedAndOnlyPublicAddressesAreKept() throws Exception {
        Map<String, List<InetAddress>> dns = Map.of(
                "rebind.example", List.of(InetAddress.getByName("10.0.0.5")),
                "mixed.example", List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("93.184.216.34")));
        EndpointGuard guard = new EndpointGuard(false, host -> {
            List<InetAddress> found = dns.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        });

        assertThatThrownBy(() -> guard.check("https://rebind.example/hook"))
                .isInstanceOf(TallyException.class)
                .hasMessageContaining("private");
        assertThatThrownBy(() -> guard.check("https://nowhere.example/hook"))
                .isInstanceOf(TallyException.class)
                .hasMessageContaining("does not resolve");
        assertThat(guard.check("https://mixed.example/hook")).isEqualTo("https://mixed.example/hook");
        assertThat(guard.resolve("mixed.example")).containsExactly(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void plainHttpUserInfoAndFragmentsAreRefusedUnlessPrivateIsAllowed() {
        EndpointGuard strict = new EndpointGuard(false, host -> List.of(InetAddress.getByName("93.184.216.34")));
        for (String url : List.of(
                "http://example.com/hook",
                "https://user:secret@example.com/hook",
                "https://example.com/hook#x",
                "/relative",
                "https:///nohost",
                "ftp://example.com/")) {
            assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(TallyException.class);
        }
        EndpointGuard open = new EndpointGuard(true, host -> List.of(InetAddress.getByName("127.0.0.1")));
        assertThat(open.check("http://localhost:8080/hook")).isEqualTo("http://localhost:8080/hook");
    }

    @Test
    void retryAfterIsReadAsSecondsOrADateAndCappedAtADay() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        assertThat(WebhookSender.retryAfter("120", now)).contains(Duration.ofMinutes(2));
        assertThat(WebhookSender.retryAfter("Mon, 30 Nov 2026 12:00:30 GMT", now))
                .contains(Duration.ofSeconds(30));
        assertThat(WebhookSender.retryAfter("999999", now)).contains(Duration.ofDays(1));
        assertThat(WebhookSender.retryAfter("soon", now)).isEmpty();
        assertThat(WebhookSender.retryAfter(null, now)).isEmpty();
    }
}
