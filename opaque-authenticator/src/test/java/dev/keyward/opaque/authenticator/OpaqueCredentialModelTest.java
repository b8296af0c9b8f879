package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.ServerSetup;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.keycloak.credential.CredentialModel;
import org.keycloak.util.JsonSerialization;

class OpaqueCredentialModelTest {

    private static byte[] realRecord(OpaqueSuite suite) {
        OpaqueConfiguration config = new OpaqueConfiguration(suite, new byte[0], Ksf.IDENTITY);
        OpaqueServer server = new OpaqueServer(config, ServerSetup.generate(suite, new SecureRandom()));
        OpaqueClient client = new OpaqueClient(config);
        OpaqueClient.RegistrationStart start = client.startRegistration("pw".getBytes(StandardCharsets.UTF_8));
        return client.finishRegistration(
                        start.state(),
                        server.createRegistrationResponse(start.request(), "uid".getBytes(StandardCharsets.UTF_8)),
                        Identities.NONE)
                .record()
                .toBytes();
    }

    /** What Keycloak hands back from the database: a plain CredentialModel with the JSON strings. */
    private static CredentialModel stored(OpaqueCredentialModel created) {
        CredentialModel row = new CredentialModel();
        row.setId("cred-1");
        row.setType(created.getType());
        row.setCreatedDate(created.getCreatedDate());
        row.setCredentialData(created.getCredentialData());
        row.setSecretData(created.getSecretData());
        return row;
    }

    @Test
    void roundTripThroughTheStoredForm() throws Exception {
        byte[] record = realRecord(OpaqueSuite.RISTRETTO255_SHA512);
        OpaqueCredentialModel created = OpaqueCredentialModel.create(
                OpaqueSuite.RISTRETTO255_SHA512, "user-id-1", new Argon2idKsf(3, 65536, 4), record, "2026-q3");
        assertEquals("keyward-opaque", created.getType());
        assertNotNull(created.getCreatedDate());

        OpaqueCredentialModel read = OpaqueCredentialModel.createFromCredentialModel(stored(created));
        assertEquals("cred-1", read.getId());
        assertEquals("ristretto255-SHA512", read.getOpaqueCredentialData().getSuite());
        assertEquals("user-id-1", read.getOpaqueCredentialData().getCredentialIdentifier());
        assertEquals(65536, read.getOpaqueCredentialData().getKsf().getM());
        assertEquals("2026-q3", read.keyId());
        RegistrationRecord parsed = read.record(OpaqueSuite.RISTRETTO255_SHA512);
        assertArrayEquals(record, parsed.toBytes());
        assertNull(read.record(OpaqueSuite.P256_SHA256), "a record of another suite is not used");
    }

    @Test
    void storedJsonHasTheDocumentedShape() throws Exception {
        OpaqueCredentialModel created = OpaqueCredentialModel.create(
                OpaqueSuite.P256_SHA256, "u", new Argon2idKsf(2, 19456, 1), realRecord(OpaqueSuite.P256_SHA256), "2");
        var data = JsonSerialization.readValue(created.getCredentialData(), java.util.Map.class);
        assertEquals("P256-SHA256", data.get("suite"));
        assertEquals("u", data.get("credentialIdentifier"));
        assertEquals(java.util.Map.of("algorithm", "argon2id", "t", 2, "m", 19456, "p", 1), data.get("ksf"));
        assertEquals("2", data.get("keyId"));
        var secret = JsonSerialization.readValue(created.getSecretData(), java.util.Map.class);
        assertEquals(java.util.Set.of("record"), secret.keySet());
        assertFalse(created.getCredentialData().contains((String) secret.get("record")), "record only in secret data");
    }

    @Test
    void aRecordFromBeforeKeyIdsIsUnderKeyOne() throws Exception {
        OpaqueCredentialModel created = OpaqueCredentialModel.create(
                OpaqueSuite.RISTRETTO255_SHA512,
                "u",
                new Argon2idKsf(3, 65536, 4),
                realRecord(OpaqueSuite.RISTRETTO255_SHA512),
                "2");
        CredentialModel old = stored(created);
        old.setCredentialData(created.getCredentialData().replace(",\"keyId\":\"2\"", ""));
        assertFalse(old.getCredentialData().contains("keyId"), old.getCredentialData());
        assertEquals("1", OpaqueCredentialModel.createFromCredentialModel(old).keyId());
    }

    @Test
    void corruptRowsFailWithoutQuotingTheirContent() {
        CredentialModel row = new CredentialModel();
        row.setId("cred-x");
        row.setType(OpaqueCredentialModel.TYPE);
        row.setCredentialData("{\"suite\":");
        row.setSecretData("{\"record\":\"SECRETSECRET\"}");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> OpaqueCredentialModel.createFromCredentialModel(row));
        assertTrue(e.getMessage().contains("cred-x"));
        assertFalse(e.getMessage().contains("SECRET"));
        assertNull(e.getCause());
    }
}
