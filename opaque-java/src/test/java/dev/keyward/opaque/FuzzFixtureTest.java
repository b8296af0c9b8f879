package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guards the fuzz targets' fixture: if its states stopped matching the vector messages, every
 * fuzz input would fail authentication and the success paths would silently go untested.
 */
class FuzzFixtureTest {

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void vectorMessagesAuthenticateAgainstTheFixtureStates(OpaqueSuite suite) throws Exception {
        FuzzFixture f = FuzzFixture.of(suite);
        assertArrayEquals(f.sessionKey, f.server.finishLogin(f.serverStateForVectorKe3(), f.ke3));
        OpaqueClient.LoginResult client = f.client.finishLogin(f.clientStateForVectorKe2(), f.ke2, Identities.NONE);
        assertArrayEquals(f.ke3.toBytes(), client.ke3().toBytes());
        assertArrayEquals(
                f.record.toBytes(),
                f.client
                        .finishRegistration(
                                f.clientRegistrationState(),
                                f.server.createRegistrationResponse(f.registrationRequest, f.credentialIdentifier),
                                Identities.NONE,
                                envelopeNonceOf(f.record))
                        .record()
                        .toBytes());
    }

    /** The record's envelope starts with the nonce the client chose at registration. */
    private static byte[] envelopeNonceOf(RegistrationRecord record) {
        return Bytes.slice(record.envelope(), 0, OpaqueSuite.NONCE_LENGTH);
    }
}
