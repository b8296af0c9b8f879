package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoginNamesTest {
    @Test
    void typedNamesAreTrimmedAndBounded() {
        assertEquals("alice", LoginNames.typed("  alice "));
        assertNull(LoginNames.typed("   "));
        assertNull(LoginNames.typed(null));
        assertNull(LoginNames.typed("a".repeat(LoginNames.MAX_LENGTH + 1)));
        assertEquals(
                LoginNames.MAX_LENGTH,
                LoginNames.typed("a".repeat(LoginNames.MAX_LENGTH)).length());
    }

    @Test
    void theHitsExtraQueryAsksForANameNoColumnCanHold() {
        for (String name : new String[] {"a", "alice@example.com", "b".repeat(LoginNames.MAX_LENGTH)}) {
            String unmatchable = LoginNames.unmatchable(name);
            assertTrue(unmatchable.length() > LoginNames.MAX_LENGTH, name);
            assertTrue(unmatchable.startsWith(name), "the same index path as the name itself");
        }
    }
}
