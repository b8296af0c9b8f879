package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.OpaqueSuite;
import org.junit.jupiter.api.Test;
import org.keycloak.credential.CredentialModel;

/**
 * The re-check before a retirement deletes a credential: the candidates were found by a LIKE, and
 * a sign-in may have moved one to the active secret since (RekeyStep rewrites the same row). What
 * the row says when re-read decides, so the moved record survives.
 */
class KeyRotationResourceTest {
    private static final byte[] RECORD = new byte[192];

    /** The row as Keycloak hands it back: the same id, whatever the data says now. */
    private static CredentialModel row(String credentialData) {
        OpaqueCredentialModel made = OpaqueCredentialModel.create(
                OpaqueSuite.RISTRETTO255_SHA512, "user-1", new Argon2idKsf(3, 65536, 4), RECORD, "1");
        CredentialModel row = new CredentialModel();
        row.setId("cred-1");
        row.setType(OpaqueConstants.CREDENTIAL_TYPE);
        row.setCredentialData(credentialData == null ? made.getCredentialData() : credentialData);
        row.setSecretData(made.getSecretData());
        return row;
    }

    private static String underKey(String keyId) {
        return OpaqueCredentialModel.create(
                        OpaqueSuite.RISTRETTO255_SHA512, "user-1", new Argon2idKsf(3, 65536, 4), RECORD, keyId)
                .getCredentialData();
    }

    @Test
    void aRecordMovedToTheActiveKeyAfterTheSelectIsNotDeleted() {
        // selected under 1; re-read after a rekey: the same row is under 2 now
        assertTrue(KeyRotationResource.stillUnder(row(underKey("1")), "1"));
        assertFalse(KeyRotationResource.stillUnder(row(underKey("2")), "1"));
    }

    @Test
    void aRecordWithoutKeyIdIsUnderKeyOneAndLikePatternLookalikesAreNot() {
        String legacy = underKey("1").replace(",\"keyId\":\"1\"", "").replace("\"keyId\":\"1\",", "");
        assertFalse(legacy.contains("keyId"), legacy);
        assertTrue(KeyRotationResource.stillUnder(row(legacy), "1"));
        assertFalse(KeyRotationResource.stillUnder(row(legacy), "2"));
        // "k_2" matched "k!_2" only; a row under "kx2" would not have been selected, and is not deleted
        assertFalse(KeyRotationResource.stillUnder(row(underKey("kx2")), "k_2"));
        assertTrue(KeyRotationResource.stillUnder(row(underKey("k_2")), "k_2"));
    }

    @Test
    void anUnreadableRowOrAnotherTypeIsLeftAlone() {
        assertFalse(KeyRotationResource.stillUnder(row("{\"keyId\":\"1\""), "1"));
        CredentialModel password = row(underKey("1"));
        password.setType("password");
        assertFalse(KeyRotationResource.stillUnder(password, "1"));
    }
}
