package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.OpaqueSuite;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LegacyMigrationTest {
    private static final byte[] SECRET = new byte[32];

    private static byte[] coinKey(String realmId) {
        return SetupDerivation.derive(SECRET, OpaqueSuite.RISTRETTO255_SHA512, realmId)
                .legacyCoinKey();
    }

    @Test
    void passwordLimits() {
        assertFalse(LegacyMigration.acceptablePassword(null));
        assertFalse(LegacyMigration.acceptablePassword(""));
        assertTrue(LegacyMigration.acceptablePassword(" "));
        assertTrue(LegacyMigration.acceptablePassword("x".repeat(LegacyMigration.MAX_PASSWORD_LENGTH)));
        assertFalse(LegacyMigration.acceptablePassword("x".repeat(LegacyMigration.MAX_PASSWORD_LENGTH + 1)));
    }

    @Test
    void verifiedNoteRoundTripsOnlyUnderItsSuite() {
        String note = LegacyMigration.verifiedNote("ristretto255-SHA512", "5f1c-user");
        assertEquals("5f1c-user", LegacyMigration.verifiedUserId(note, "ristretto255-SHA512"));
        assertNull(LegacyMigration.verifiedUserId(note, "P256-SHA256"));
        assertNull(LegacyMigration.verifiedUserId(null, "ristretto255-SHA512"));
        assertNull(LegacyMigration.verifiedUserId("ristretto255-SHA512:", "ristretto255-SHA512"));
        assertNull(LegacyMigration.verifiedUserId("5f1c-user", "ristretto255-SHA512"));
    }

    @Test
    void coinIsStablePerNameAndIgnoresCaseAndSurroundingSpace() {
        byte[] key = coinKey("realm-a");
        for (int i = 0; i < 200; i++) {
            String name = "user-" + i;
            boolean coin = SetupDerivation.legacyCoin(key, name);
            assertEquals(coin, SetupDerivation.legacyCoin(coinKey("realm-a"), name), name);
            assertEquals(coin, SetupDerivation.legacyCoin(key, " " + name.toUpperCase() + " "), name);
        }
    }

    @Test
    void coinFallsBothWaysAndDependsOnTheRealmKey() {
        byte[] a = coinKey("realm-a");
        byte[] b = coinKey("realm-b");
        // issue 17, item 8, measured: the share of unknown names that get the legacy step (and so,
        // while migration is on, of mistyped names whose password is sent); a fair keyed coin:
        // 20,000 tosses land inside [9,500, 10,500] (5 sigma is about 354)
        long legacyA = IntStream.range(0, 20_000)
                .filter(i -> SetupDerivation.legacyCoin(a, "name-" + i))
                .count();
        System.out.printf("legacy coin: %d of 20000 unknown names%n", legacyA);
        assertTrue(legacyA > 9_500 && legacyA < 10_500, "legacy answers: " + legacyA);
        long differ = IntStream.range(0, 1000)
                .filter(i -> SetupDerivation.legacyCoin(a, "name-" + i) != SetupDerivation.legacyCoin(b, "name-" + i))
                .count();
        assertTrue(differ > 400 && differ < 600, "other realm, other coin: " + differ);
    }

    @Test
    void coinKeyIsNotTheUnknownUserKey() {
        SetupDerivation.RealmKeys keys = SetupDerivation.derive(SECRET, OpaqueSuite.RISTRETTO255_SHA512, "realm-a");
        assertFalse(java.util.Arrays.equals(keys.unknownUserKey(), keys.legacyCoinKey()));
    }

    /** Issue 17, item 8: migration always has an end; without one, or after it, it is off. */
    @Test
    void migrationRunsOnlyInsideItsWindow() {
        LocalDate day = LocalDate.of(2026, 12, 4);
        assertEquals(LegacyMigration.Window.OFF, LegacyMigration.window(null, day));
        assertEquals(
                LegacyMigration.Window.OFF,
                LegacyMigration.window(Map.of("legacyMigration", "false", "legacyMigrationUntil", "2030-01-01"), day));
        assertEquals(
                LegacyMigration.Window.NO_END_DATE, LegacyMigration.window(Map.of("legacyMigration", "true"), day));
        assertEquals(
                LegacyMigration.Window.NO_END_DATE,
                LegacyMigration.window(Map.of("legacyMigration", "true", "legacyMigrationUntil", "next year"), day));
        assertEquals(
                LegacyMigration.Window.OPEN,
                LegacyMigration.window(Map.of("legacyMigration", "true", "legacyMigrationUntil", "2026-12-04"), day),
                "the end date is the last day");
        assertEquals(
                LegacyMigration.Window.OPEN,
                LegacyMigration.window(Map.of("legacyMigration", "true", "legacyMigrationUntil", " 2027-01-31 "), day));
        assertEquals(
                LegacyMigration.Window.ENDED,
                LegacyMigration.window(Map.of("legacyMigration", "true", "legacyMigrationUntil", "2026-12-03"), day));
    }
}
