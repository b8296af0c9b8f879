package dev.keyward.apitoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApiTokenGrantTypeTest {

    @Test
    void exchangedAccessTokensReachOnlyTheEndpointsOnTheAllowlist() {
        assertTrue(ApiTokenGrantType.allowedPath("/realms/keyward/header-proxy/media/echo", null));
        assertTrue(ApiTokenGrantType.allowedPath("realms/keyward/keyward-vault/credentials", null));
        assertFalse(ApiTokenGrantType.allowedPath("/admin/realms/keyward/users", null));
        assertFalse(ApiTokenGrantType.allowedPath("/realms/keyward/account/credentials", null));
        assertFalse(ApiTokenGrantType.allowedPath("/realms/keyward/api-tokens", null));
        assertFalse(ApiTokenGrantType.allowedPath("/realms/keyward/scim/v2/Users", null));
        assertFalse(ApiTokenGrantType.allowedPath("/realms/keyward/protocol/openid-connect/userinfo", null));
        assertTrue(ApiTokenGrantType.allowedPath("/realms/keyward/reports/x", "other, reports"));
        assertFalse(
                ApiTokenGrantType.allowedPath("/realms/keyward/account/x", "account,api-tokens,protocol"),
                "a realm cannot put the account API on the list");
        assertFalse(ApiTokenGrantType.allowedPath("/realms/keyward/api-tokens", "api-tokens"));
    }

    @Test
    void failuresCountPerIpv4AddressAndPerIpv6Slash64() {
        assertEquals("192.0.2.7", GuessLimits.source("192.0.2.7"));
        assertEquals(GuessLimits.source("2001:db8:1:2::1"), GuessLimits.source("2001:db8:1:2:ffff::9"));
        assertFalse(GuessLimits.source("2001:db8:1:2::1").equals(GuessLimits.source("2001:db8:1:3::1")));
    }

    @Test
    void namesWithInvisibleCharactersAreRefused() {
        assertTrue(ApiTokenResource.Request.hidden(0x202E), "right-to-left override");
        assertTrue(ApiTokenResource.Request.hidden(0x200B), "zero-width space");
        assertTrue(ApiTokenResource.Request.hidden(0x0007));
        assertFalse(ApiTokenResource.Request.hidden('é'));
    }

    @Test
    void basicCredentialsAreReadStrictly() {
        String header = "Basic " + Base64.getEncoder().encodeToString("alice:kwt_x:y".getBytes(StandardCharsets.UTF_8));
        ApiTokenResource.BasicCredentials c = ApiTokenResource.BasicCredentials.parse(header);
        assertEquals("alice", c.user());
        assertEquals("kwt_x:y", c.password());
        assertFalse(c.toString().contains("kwt_"), "the password in toString");
        assertNull(ApiTokenResource.BasicCredentials.parse(null));
        assertNull(ApiTokenResource.BasicCredentials.parse("Bearer abc"));
        assertNull(ApiTokenResource.BasicCredentials.parse("Basic %%%"));
        assertNull(ApiTokenResource.BasicCredentials.parse(
                "Basic " + Base64.getEncoder().encodeToString(":nouser".getBytes(StandardCharsets.UTF_8))));
    }
}
