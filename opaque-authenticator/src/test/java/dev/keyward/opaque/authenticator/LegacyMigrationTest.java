package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.OpaqueSuite;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LegacyMigrationTest {
    private static final byte[] SECRET = new byte[32];

    private static byte[] coinKey(String realmId) {
        return SetupDerivation.derive(SECRET, OpaqueSuite.RISTRETTO255_SHA512, realmId).legacyCoinKey();
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
        long legacyA = IntStream.range(0, 1000).filter(i -> SetupDerivation.legacyCoin(a, "name-" + i)).count();
        // a fair keyed coin: 1000 tosses land far inside [400, 600] (5 sigma is about 79)
        assertTrue(legacyA > 400 && legacyA < 600, "legacy answers: " + legacyA);
        long differ = IntStream.range(0, 1000)
                .filter(i -> SetupDerivation.legacyCoin(a, "name-" + i) != SetupDerivation.legacyCoin(b, "name-" + i)).count();
        assertTrue(differ > 400 && differ < 600, "other realm, other coin: " + differ);
    }

    @Test
    void coinKeyIsNotTheUnknownUserKey() {
        SetupDerivation.RealmKeys keys = SetupDerivation.derive(SECRET, OpaqueSuite.RISTRETTO255_SHA512, "realm-a");
        assertFalse(java.util.Arrays.equals(keys.unknownUserKey(), keys.legacyCoinKey()));
    }
}
