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
        assertEquals(
                "WARN  [org.keycloak.events] (executor-thread) type=\"LOGIN_ERROR\", realmId=\"<id>\","
                        + " username=\"bench-user-N\"",
                NodeWarnings.shape(a));
    }
}
