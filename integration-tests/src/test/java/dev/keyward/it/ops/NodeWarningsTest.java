package dev.keyward.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Lines that differ only in time, thread, ids and bench user are counted as one. */
class NodeWarningsTest {

    @Test
    void aLineLosesItsTimeThreadIdsAndUser() {
        String a = "2026-12-07 15:39:01,503 WARN  [org.keycloak.events] (executor-thread-37) type=\"LOGIN_ERROR\","
                + " realmId=\"f0f0c02b-a87b-493c-a981-8041b5e08c9b\", username=\"bench-user-00017\"";
        String b = "2026-12-07 15:40:12,014 WARN  [org.keycloak.events] (executor-thread-4) type=\"LOGIN_ERROR\","
                + " realmId=\"0a1b2c3d-a87b-493c-a981-8041b5e08c9b\", username=\"bench-user-00391\"";
        assertEquals(NodeWarnings.shape(a), NodeWarnings.shape(b));
        // Keycloak's event lines carry a random code_id and the client's address
        String c = "2026-12-07 15:39:01,503 WARN  [org.keycloak.events] (executor-thread-7) type=\"LOGIN_ERROR\","
                + " code_id=\"vdB4y292PSIHfpEIw4AmUU6r\", ipAddress=\"127.0.0.1\"";
        String d = "2026-12-07 15:39:02,000 WARN  [org.keycloak.events] (executor-thread-9) type=\"LOGIN_ERROR\","
                + " code_id=\"Q1w2E3r4T5y6U7i8O9p0AsDf\", ipAddress=\"127.0.0.2\"";
        assertEquals(NodeWarnings.shape(c), NodeWarnings.shape(d));
        assertEquals(
                NodeWarnings.shape("2026-12-07 15:39:01,503 ERROR [x] (agroal-11) gone"),
                NodeWarnings.shape("2026-12-07 15:39:05,000 ERROR [x] (agroal-3) gone"));
        assertEquals(
                "WARN  [org.keycloak.events] (executor-thread-N) type=\"LOGIN_ERROR\", realmId=\"<id>\","
                        + " username=\"bench-user-N\"",
                NodeWarnings.shape(a));
    }
}
