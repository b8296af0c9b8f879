package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpRangeTest {

    private static boolean in(String range, String literal) throws Exception {
        return IpRange.parse(range).contains(InetAddress.getByName(literal));
    }

    @Test
    void rangesContainTheirAddressesToTheEdges() throws Exception {
        assertTrue(in("10.0.0.0/8", "10.0.0.0"));
        assertTrue(in("10.0.0.0/8", "10.255.255.255"));
        assertFalse(in("10.0.0.0/8", "11.0.0.0"));
        assertFalse(in("10.0.0.0/8", "9.255.255.255"));
        assertTrue(in("172.16.0.0/12", "172.31.1.1"));
        assertFalse(in("172.16.0.0/12", "172.32.0.0"));
        assertTrue(in("127.0.0.1", "127.0.0.1"));
        assertFalse(in("127.0.0.1", "127.0.0.2"));
        assertTrue(in("fd00::/8", "fdff:ffff::1"));
        assertFalse(in("fd00::/8", "fe00::1"));
        assertTrue(in("::1", "::1"));
        assertTrue(in("0.0.0.0/0", "8.8.8.8"));
    }

    @Test
    void familiesNeverMix() throws Exception {
        assertFalse(in("0.0.0.0/0", "::1"));
        assertFalse(in("::/0", "127.0.0.1"));
    }

    private static boolean encloses(String outer, String inner) throws Exception {
        return IpRange.parse(outer).encloses(IpRange.parse(inner));
    }

    @Test
    void aRangeEnclosesItselfAndNarrowerRangesInsideIt() throws Exception {
        assertTrue(encloses("10.0.0.0/8", "10.0.0.0/8"));
        assertTrue(encloses("10.0.0.0/8", "10.20.0.0/16"));
        assertTrue(encloses("10.0.0.0/8", "10.255.255.255/32"));
        assertFalse(encloses("10.20.0.0/16", "10.0.0.0/8"), "broader");
        assertFalse(encloses("10.20.0.0/16", "10.21.0.0/24"), "beside it");
        assertTrue(encloses("0.0.0.0/0", "169.254.169.254/32"));
        assertFalse(encloses("0.0.0.0/0", "::1/128"), "families never mix");
        assertTrue(encloses("fc00::/7", "fd00:ec2::254/128"));
        assertFalse(encloses("fd00::/8", "fc00::/7"));
        assertTrue(IpRange.parse("10.0.0.0/8").overlaps(IpRange.parse("10.1.0.0/16")));
        assertTrue(IpRange.parse("10.1.0.0/16").overlaps(IpRange.parse("10.0.0.0/8")));
        assertFalse(IpRange.parse("10.1.0.0/16").overlaps(IpRange.parse("10.2.0.0/16")));
    }

    @Test
    void equalRangesAreEqualWhateverTheirSpelling() throws Exception {
        assertEquals(IpRange.parse("fd00::/8"), IpRange.parse("fd00:0::0/8"));
        assertEquals(IpRange.parse("127.0.0.1"), IpRange.parse("127.0.0.1/32"));
        assertFalse(IpRange.parse("10.0.0.0/8").equals(IpRange.parse("10.0.0.0/9")));
        assertEquals(8, IpRange.parse("10.0.0.0/8").prefixLength());
        assertTrue(IpRange.parse("10.0.0.0/8").isIpv4());
        assertFalse(IpRange.parse("::1").isIpv4());
    }

    @Test
    void theCanonicalFormIsAddressSlashPrefix() throws Exception {
        assertEquals("127.0.0.1/32", IpRange.parse("127.0.0.1").toString());
        assertEquals("10.20.0.0/16", IpRange.parse(" 10.20.0.0/16 ").toString());
        assertEquals("fd00:0:0:0:0:0:0:0/8", IpRange.parse("fd00::/8").toString());
    }

    @Test
    void onlyLiteralsWithAValidPrefixAreAccepted() {
        for (String bad : Arrays.asList(
                "localhost",
                "example.com",
                "10.0.0.1/8",
                "10.0.0.0/33",
                "fd00::/129",
                "::ffff:10.0.0.0/104",
                "",
                null,
                "10.0.0.0/-1",
                "10.0.0.0/x",
                "10.0.0",
                "1",
                "10.0.0.0/8/8")) {
            assertThrows(InvalidInputException.class, () -> IpRange.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void refusalsNameTheFieldNotTheInput() {
        for (String bad : List.of("intranet.corp", "10.0.0.1/8")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> IpRange.parse(bad));
            assertTrue(e.getMessage().contains("privateRanges"), e.getMessage());
        }
    }
}
