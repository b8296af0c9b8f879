package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.vault.IpRange;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

    /** Literals only: InetAddress.getByName never looks these up. */
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static InetAddress mapped(int a, int b, int c, int d) throws Exception {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) a;
        raw[13] = (byte) b;
        raw[14] = (byte) c;
        raw[15] = (byte) d;
        return InetAddress.getByAddress(raw);
    }

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "127.0.0.1, LOOPBACK",
        "127.255.255.254, LOOPBACK",
        "10.0.0.1, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "169.254.169.254, LINK_LOCAL",
        "100.64.0.1, SHARED_CGNAT",
        "100.127.255.255, SHARED_CGNAT",
        "192.0.2.1, DOCUMENTATION",
        "198.51.100.1, DOCUMENTATION",
        "203.0.113.1, DOCUMENTATION",
        "198.18.0.1, BENCHMARKING",
        "198.19.255.255, BENCHMARKING",
        "192.0.0.8, RESERVED",
        "192.88.99.1, RESERVED",
        "240.0.0.1, RESERVED",
        "224.0.0.1, MULTICAST",
        "239.1.1.1, MULTICAST",
        "255.255.255.255, BROADCAST",
        "::, UNSPECIFIED",
        "::1, LOOPBACK",
        "::127.0.0.1, LOOPBACK",
        "::8.8.8.8, TRANSITION",
        "64:ff9b::a00:1, PRIVATE",
        "64:ff9b::808:808, TRANSITION",
        "64:ff9b:1::1, TRANSITION",
        "2002:7f00:1::1, LOOPBACK",
        "2002:a00:1::1, PRIVATE",
        "2002:808:808::1, TRANSITION",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, TRANSITION",
        "2001:db8::1, DOCUMENTATION",
        "3fff::1, DOCUMENTATION",
        "fc00::1, PRIVATE",
        "fd12:3456::1, PRIVATE",
        "fec0::1, PRIVATE",
        "fe80::1, LINK_LOCAL",
        "ff02::1, MULTICAST",
        "100::1, RESERVED",
        "4000::1, RESERVED"
    })
    void nonPublicAddressesAreClassified(String literal, AddressGuard.Category expected) throws Exception {
        assertEquals(Optional.of(expected), AddressGuard.classify(ip(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "93.184.216.34",
                "172.32.0.1",
                "100.128.0.1",
                "172.15.255.255",
                "2606:4700:4700::1111",
                "2a00:1450:4001:82a::200e"
            })
    void publicAddressesPass(String literal) throws Exception {
        assertEquals(Optional.empty(), AddressGuard.classify(ip(literal)), literal);
    }

    @Test
    void ipv4MappedFormsAreJudgedByTheirIpv4Address() throws Exception {
        assertEquals(Optional.of(AddressGuard.Category.LOOPBACK), AddressGuard.classify(mapped(127, 0, 0, 1)));
        assertEquals(Optional.of(AddressGuard.Category.LINK_LOCAL), AddressGuard.classify(mapped(169, 254, 169, 254)));
        assertEquals(Optional.empty(), AddressGuard.classify(mapped(8, 8, 8, 8)));
    }

    @Test
    void allowingPrivateNetworksLiftsOnlyWhatAnUpstreamCouldBeOn() throws Exception {
        for (String literal : List.of("127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "fd00::1", "::1")) {
            assertEquals(Optional.empty(), AddressGuard.refusal(ip(literal), a -> true), literal);
        }
        assertEquals(Optional.of(AddressGuard.Category.UNSPECIFIED), AddressGuard.refusal(ip("0.0.0.0"), a -> true));
        assertEquals(Optional.of(AddressGuard.Category.UNSPECIFIED), AddressGuard.refusal(ip("::"), a -> true));
        assertEquals(Optional.of(AddressGuard.Category.MULTICAST), AddressGuard.refusal(ip("224.0.0.1"), a -> true));
        assertEquals(
                Optional.of(AddressGuard.Category.BROADCAST), AddressGuard.refusal(ip("255.255.255.255"), a -> true));
    }

    @Test
    void aRangeLiftsExactlyItsOwnAddresses() throws Exception {
        IpRange only = IpRange.parse("127.0.0.1/32");
        Predicate<InetAddress> ranges = only::contains;
        assertEquals(Optional.empty(), AddressGuard.refusal(ip("127.0.0.1"), ranges));
        assertEquals(Optional.of(AddressGuard.Category.LOOPBACK), AddressGuard.refusal(ip("127.0.0.2"), ranges));
        assertEquals(Optional.of(AddressGuard.Category.LOOPBACK), AddressGuard.refusal(ip("::1"), ranges));
        assertEquals(Optional.of(AddressGuard.Category.PRIVATE), AddressGuard.refusal(ip("10.0.0.1"), ranges));
        IpRange multicast = IpRange.parse("224.0.0.0/4");
        assertEquals(
                Optional.of(AddressGuard.Category.MULTICAST),
                AddressGuard.refusal(ip("224.0.0.1"), multicast::contains));
    }

    @Test
    void withoutAnAllowanceEveryNonPublicAddressIsRefused() throws Exception {
        assertEquals(
                Optional.of(AddressGuard.Category.LINK_LOCAL), AddressGuard.refusal(ip("169.254.169.254"), a -> false));
        assertEquals(Optional.empty(), AddressGuard.refusal(ip("8.8.8.8"), a -> false));
    }
}
