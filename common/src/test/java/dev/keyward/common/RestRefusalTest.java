package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestRefusalTest {

    @Test
    void oneShapeWithTheHeadersARefusalCarries() {
        RestRefusal r = new RestRefusal(401, "invalid_token", "no token")
                .challenge(ScopedBearer.challenge("demo", null, null))
                .details(Map.of("n", 2));
        assertEquals(401, r.status());
        assertEquals(
                List.of("error", "error_description", "n"), List.copyOf(r.body().keySet()));
        assertEquals(Map.of("error", "invalid_token", "error_description", "no token", "n", 2), r.body());
        assertEquals(Map.of("Cache-Control", "no-store", "WWW-Authenticate", "Bearer realm=\"demo\""), r.headers());
        assertFalse(r.headers().containsKey("Retry-After"));
    }

    @Test
    void retryAfterIsAtLeastASecondAndAllowListsMethods() {
        Map<String, String> headers = new RestRefusal(429, "slow_down", "wait")
                .retryAfter(0)
                .allow("GET")
                .headers();
        assertEquals("1", headers.get("Retry-After"));
        assertEquals("GET", headers.get("Allow"));
    }

    @Test
    void theResponseCarriesBodyAndHeaders() {
        jakarta.ws.rs.core.Response response = new RestRefusal(413, "body_too_large", "too big").toResponse();
        assertEquals(413, response.getStatus());
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
        assertEquals(Map.of("error", "body_too_large", "error_description", "too big"), response.getEntity());
    }
}
