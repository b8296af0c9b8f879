package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.vault.CredentialKind;
import dev.keyward.vault.ProviderDefinition;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.Config;

class OperatorAllowanceTest {

    private static OperatorAllowance operator(String option) {
        return OperatorAllowance.parse(option, false);
    }

    private static ProxyRules rules(
            Map<String, String> staticHeaders,
            List<String> passThroughHeaders,
            boolean allowPrivateNetwork,
            String... privateRanges) {
        return new ProxyRules(
                "https://upstream.example",
                List.of(),
                List.of("GET", "HEAD"),
                staticHeaders,
                passThroughHeaders,
                false,
                allowPrivateNetwork,
                List.of(privateRanges),
                null);
    }

    private static ProxiedProvider provider(CredentialKind kind, String credentialName, ProxyRules rules) {
        return new ProxiedProvider(new ProviderDefinition("p", "P", kind, credentialName, rules.toJson()), rules);
    }

    private static ProxiedProvider definition(String... privateRanges) {
        return provider(CredentialKind.BEARER, null, rules(Map.of(), List.of(), false, privateRanges));
    }

    private static ProxiedProvider allowPrivateNetwork() {
        return provider(CredentialKind.BEARER, null, rules(Map.of(), List.of(), true));
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static void permitted(OperatorAllowance operator, String... ranges) {
        assertEquals(Optional.empty(), operator.excess(definition(ranges)), () -> String.join(",", ranges));
    }

    /** @return the reason, which must name the range */
    private static String excess(OperatorAllowance operator, String range) {
        String reason =
                operator.excess(definition(range)).orElseThrow(() -> new AssertionError(range + " was permitted"));
        assertTrue(reason.contains("proxy.privateRanges"), reason);
        return reason;
    }

    // ---- the operator's option

    @Test
    void noneByDefault() {
        assertEquals(List.of(), operator(null).ranges());
        assertEquals(List.of(), operator(" ").ranges());
        assertFalse(operator(null).allowsMetadataHeaders());
    }

    @Test
    void rangesAreCidrLiteralsSeparatedByCommas() {
        assertEquals(
                "[10.20.0.0/16, 127.0.0.1/32, fd00:0:0:0:0:0:0:0/8]",
                operator(" 10.20.0.0/16 ,127.0.0.1, fd00::/8,10.20.0.0/16")
                        .ranges()
                        .toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.0/8,,127.0.0.1/32 | 2",
                "10.0.0.0/8, | 2",
                "10.0.0.1/8 | 1",
                "10.0.0/8 | 1",
                "intranet.example | 1",
                "10.0.0.0/33 | 1",
                "10.0.0.0/x | 1",
                "::ffff:10.0.0.0/104 | 1",
                "10.0.0.0/8,fd00::/129 | 2",
                "224.0.0.0/4 | 1",
                "10.0.0.0/8,239.1.0.0/16 | 2",
                "0.0.0.0/8 | 1",
                "0.0.0.0/32 | 1",
                "255.255.255.255 | 1",
                "::/128 | 1",
                "ff02::/16 | 1"
            })
    void nonsenseIsAStartUpErrorNamingTheOptionAndEntryButNotTheValue(String option, int entry) {
        InvalidProxyOptionException e = assertThrows(InvalidProxyOptionException.class, () -> operator(option));
        assertTrue(
                e.getMessage().startsWith("header-proxy: allowed-private-ranges entry " + entry + " "), e.getMessage());
        for (String value : option.split(",")) {
            assertFalse(!value.isBlank() && e.getMessage().contains(value.trim()), e.getMessage());
        }
    }

    @Test
    void broadRangesAreThoseWiderThanAnyOnePrivateNetwork() {
        assertEquals(
                "[0.0.0.0/0, 10.0.0.0/7, 0:0:0:0:0:0:0:0/0, fc00:0:0:0:0:0:0:0/6]",
                operator("0.0.0.0/0,10.0.0.0/7,10.0.0.0/8,::/0,fc00::/6,fc00::/7,fd00::/8")
                        .broadRanges()
                        .toString());
    }

    @Test
    void optionsAreReadFromKeycloaksConfigurationAndFlagsMustBeTrueOrFalse() {
        String prefix = "keyward.test.allowance." + System.nanoTime() + ".";
        Config.Scope scope = new Config.SystemPropertiesScope(prefix);
        try {
            assertEquals(List.of(), ProxySettings.from(scope).allowance().ranges());
            System.setProperty(prefix + "allowed-private-ranges", "10.20.0.0/16");
            System.setProperty(prefix + "allow-metadata-headers", "true");
            ProxySettings settings = ProxySettings.from(scope);
            assertEquals("[10.20.0.0/16]", settings.allowance().ranges().toString());
            assertTrue(settings.allowance().allowsMetadataHeaders());

            System.setProperty(prefix + "allow-metadata-headers", "yes");
            InvalidProxyOptionException e =
                    assertThrows(InvalidProxyOptionException.class, () -> ProxySettings.from(scope));
            assertEquals("header-proxy: allow-metadata-headers must be true or false", e.getMessage());
            System.setProperty(prefix + "allow-metadata-headers", "false");
            System.setProperty(prefix + "allowed-private-ranges", "10.20.0.0/16;10.30.0.0/16");
            assertTrue(assertThrows(InvalidProxyOptionException.class, () -> ProxySettings.from(scope))
                    .getMessage()
                    .contains("allowed-private-ranges entry 1"));
        } finally {
            System.clearProperty(prefix + "allowed-private-ranges");
            System.clearProperty(prefix + "allow-metadata-headers");
        }
    }

    // ---- a definition narrows within it

    @Test
    void withoutAnOperatorListingNoDefinitionGetsAnyPrivateNetwork() {
        OperatorAllowance none = operator(null);
        assertTrue(excess(none, "10.20.0.0/16").contains("10.20.0.0/16 is not inside a range this server allows"));
        excess(none, "127.0.0.1/32");
        excess(none, "169.254.169.254/32");
        excess(none, "0.0.0.0/0");
        assertTrue(none.excess(allowPrivateNetwork()).orElseThrow().startsWith("proxy.allowPrivateNetwork"));
        assertEquals(Optional.empty(), none.excess(definition()), "asking for nothing is fine");
    }

    @Test
    void aRangeInsideAListedRangeIsHonoured() throws Exception {
        OperatorAllowance operator = operator("10.20.0.0/16");
        permitted(operator, "10.20.30.0/24");
        permitted(operator, "10.20.0.0/16");
        permitted(operator, "10.20.30.40/32", "10.20.0.0/17");
        assertTrue(operator.lifts(ip("10.20.30.1"), definition("10.20.30.0/24").rules()));
        assertFalse(
                operator.lifts(ip("10.20.31.1"), definition("10.20.30.0/24").rules()),
                "only the definition's own range");
    }

    @Test
    void aBroaderOrPartlyOutsideRangeIsNot() {
        OperatorAllowance operator = operator("10.20.0.0/16");
        assertTrue(excess(operator, "10.20.0.0/15").contains("10.20.0.0/15"));
        excess(operator, "10.0.0.0/8");
        excess(operator, "10.21.0.0/24");
        excess(operator, "0.0.0.0/0");
        String reason =
                operator.excess(definition("10.20.1.0/24", "10.21.0.0/24")).orElseThrow();
        assertTrue(reason.contains("10.21.0.0/24") && !reason.contains("10.20.1.0/24"), reason);
    }

    @Test
    void allowPrivateNetworkMeansTheListedRangesNeverMore() throws Exception {
        OperatorAllowance operator = operator("10.20.0.0/16,127.0.0.1/32");
        assertEquals(Optional.empty(), operator.excess(allowPrivateNetwork()));
        ProxyRules all = allowPrivateNetwork().rules();
        assertTrue(operator.lifts(ip("10.20.9.9"), all));
        assertTrue(operator.lifts(ip("127.0.0.1"), all));
        assertFalse(operator.lifts(ip("127.0.0.2"), all));
        assertFalse(operator.lifts(ip("10.21.0.1"), all));
        assertFalse(operator.lifts(ip("192.168.1.1"), all));
        assertFalse(operator.lifts(ip("169.254.169.254"), all));
    }

    @Test
    void aDefinitionThatCameInPastTheCheckStillGetsNothingOutsideTheListing() throws Exception {
        OperatorAllowance operator = operator("10.1.0.0/16");
        ProxyRules imported = definition("10.0.0.0/8").rules();
        assertTrue(operator.lifts(ip("10.1.0.1"), imported));
        assertFalse(operator.lifts(ip("10.2.0.1"), imported));
    }

    // ---- loopback and metadata need a listing of their own

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "160.0.0.0/4", "169.0.0.0/8", "126.0.0.0/7", "100.64.0.0/10"})
    void aBroadListingNeverCoversLoopbackOrMetadata(String listing) throws Exception {
        OperatorAllowance operator = operator(listing);
        ProxyRules all = allowPrivateNetwork().rules();
        for (String sensitive : List.of("127.0.0.1", "169.254.169.254", "169.254.170.2", "100.100.100.200")) {
            if (operator.ranges().get(0).contains(ip(sensitive))) {
                assertFalse(operator.lifts(ip(sensitive), all), listing + " lifted " + sensitive);
                String asked = sensitive + "/32";
                assertTrue(excess(operator, asked).contains("loopback or cloud-metadata"), asked);
            }
        }
    }

    @Test
    void aCatchAllListingStillLiftsOrdinaryPrivateAddresses() throws Exception {
        OperatorAllowance operator = operator("0.0.0.0/0");
        permitted(operator, "10.0.0.0/8");
        permitted(operator, "100.64.0.0/16");
        excess(operator, "0.0.0.0/0"); // it holds loopback and metadata, which are not listed
        ProxyRules all = allowPrivateNetwork().rules();
        assertTrue(operator.lifts(ip("10.1.2.3"), all));
        assertTrue(operator.lifts(ip("100.64.0.1"), all));
        assertFalse(operator.lifts(ip("127.0.0.1"), all));
        assertFalse(operator.lifts(ip("100.100.100.200"), all));
    }

    @Test
    void metadataIsHonouredWhereTheOperatorListsItExplicitly() throws Exception {
        OperatorAllowance operator = operator("0.0.0.0/0,169.254.169.254/32,127.0.0.0/8");
        permitted(operator, "169.254.169.254/32");
        permitted(operator, "127.0.0.1/32");
        permitted(operator, "127.0.0.0/8");
        excess(operator, "169.254.0.0/16"); // only one address of it is listed
        excess(operator, "0.0.0.0/0"); // the rest of 169.254/16 is not
        ProxyRules all = allowPrivateNetwork().rules();
        assertTrue(operator.lifts(ip("169.254.169.254"), all));
        assertFalse(operator.lifts(ip("169.254.170.2"), all));
        assertTrue(operator.lifts(ip("127.0.0.2"), all));
        permitted(operator("169.254.0.0/16"), "169.254.169.254/32");
    }

    @Test
    void loopbackStaysRefusedUnlessListed() throws Exception {
        OperatorAllowance operator = operator("10.0.0.0/8");
        excess(operator, "127.0.0.1/32");
        assertFalse(operator.lifts(ip("127.0.0.1"), allowPrivateNetwork().rules()));
        OperatorAllowance listed = operator("127.0.0.1/32");
        permitted(listed, "127.0.0.1/32");
        assertTrue(listed.lifts(ip("127.0.0.1"), definition("127.0.0.1/32").rules()));
    }

    @Test
    void ipv6() throws Exception {
        OperatorAllowance operator = operator("fd00::/8");
        permitted(operator, "fd12:3456::/32");
        assertTrue(
                operator.lifts(ip("fd12:3456::1"), definition("fd12:3456::/32").rules()));
        excess(operator, "fc00::/7"); // broader
        excess(operator, "fe80::/10"); // outside
        excess(operator, "10.0.0.0/8"); // the other family
        assertTrue(excess(operator, "fd00:ec2::254/128").contains("cloud-metadata"), "AWS's IPv6 metadata address");
        assertFalse(operator.lifts(ip("fd00:ec2::254"), allowPrivateNetwork().rules()));
        assertTrue(operator.lifts(ip("fd00:ec2::253"), allowPrivateNetwork().rules()));

        OperatorAllowance catchAll = operator("::/0");
        excess(catchAll, "fe80::/64");
        ProxyRules all = allowPrivateNetwork().rules();
        assertFalse(catchAll.lifts(ip("::1"), all));
        assertFalse(catchAll.lifts(ip("fe80::1"), all));
        assertFalse(catchAll.lifts(ip("64:ff9b::a9fe:a9fe"), all), "NAT64 form of 169.254.169.254");
        assertFalse(catchAll.lifts(ip("2002:7f00:1::1"), all), "6to4 form of 127.0.0.1");
        assertTrue(catchAll.lifts(ip("fd12::1"), all));

        OperatorAllowance linkLocal = operator("fe80::/10,::1/128");
        permitted(linkLocal, "fe80::/64");
        assertTrue(linkLocal.lifts(ip("fe80::1"), all));
        assertTrue(linkLocal.lifts(ip("::1"), all));
    }

    // ---- cloud-metadata headers

    @Test
    void metadataHeadersAreRefusedWhereverADefinitionWouldSendThem() {
        OperatorAllowance operator = operator(null);
        ProxiedProvider fixed =
                provider(CredentialKind.BEARER, null, rules(Map.of("metadata-FLAVOR", "Google"), List.of(), false));
        assertEquals(
                "proxy.staticHeaders: metadata-FLAVOR is a cloud-metadata header, which this server does not send",
                operator.excess(fixed).orElseThrow());
        ProxiedProvider passed = provider(
                CredentialKind.BEARER, null, rules(Map.of(), List.of("Accept", "X-aws-ec2-metadata-token"), false));
        assertTrue(
                operator.excess(passed).orElseThrow().startsWith("proxy.passThroughHeaders: X-aws-ec2-metadata-token"));
        ProxiedProvider key = provider(CredentialKind.API_KEY_HEADER, "Metadata", rules(Map.of(), List.of(), false));
        assertTrue(operator.excess(key).orElseThrow().startsWith("credentialName: Metadata"));

        OperatorAllowance allowing = OperatorAllowance.parse(null, true);
        assertEquals(Optional.empty(), allowing.excess(fixed));
        assertEquals(Optional.empty(), allowing.excess(passed));
        assertEquals(Optional.empty(), allowing.excess(key));
    }

    @Test
    void ordinaryHeadersAndDefinitionsWithoutProxyRulesPass() {
        Map<String, String> statics = new LinkedHashMap<>();
        statics.put("User-Agent", "Keyward");
        statics.put("X-Metadata-Version", "2");
        ProxiedProvider d =
                provider(CredentialKind.BEARER, null, rules(statics, List.of("Range", "If-None-Match"), false));
        assertEquals(Optional.empty(), operator(null).excess(d));
        // no proxy section: nothing to check, nothing the proxy would call
        ProviderDefinition bare = new ProviderDefinition("p", "P", CredentialKind.BEARER, null, null);
        assertEquals(Optional.empty(), ProxiedProvider.of(bare));
    }
}
