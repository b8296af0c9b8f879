package dev.keyward.opaque;

/** The parts of RFC 9807 section 6 that client and server share: masking, preamble, 3DH keys. */
final class ThreeDh {
    private static final byte[] PREAMBLE_LABEL = Bytes.ascii("OPAQUEv1-");
    private static final byte[] EMPTY = new byte[0];

    private ThreeDh() {}

    /** Expand(masking_key, masking_nonce || "CredentialResponsePad", Npk + Nn + Nm). */
    static byte[] credentialResponsePad(OpaqueSuite suite, byte[] maskingKey, byte[] maskingNonce) {
        return suite.expand(
                maskingKey,
                Bytes.concat(maskingNonce, Bytes.ascii("CredentialResponsePad")),
                suite.maskedResponseLength());
    }

    static byte[] preamble(
            byte[] context,
            Identities.CleartextCredentials credentials,
            byte[] ke1,
            byte[] credentialResponse,
            byte[] serverNonce,
            byte[] serverPublicKeyshare) {
        return Bytes.concat(
                PREAMBLE_LABEL,
                Bytes.lengthPrefixed16(context),
                Bytes.lengthPrefixed16(credentials.clientIdentity()),
                ke1,
                Bytes.lengthPrefixed16(credentials.serverIdentity()),
                credentialResponse,
                serverNonce,
                serverPublicKeyshare);
    }

    /** The outputs of DeriveKeys plus both MACs, computed the same way on both sides. */
    record Keys(byte[] serverMac, byte[] clientMac, byte[] sessionKey) {
        void wipe() {
            Bytes.wipe(serverMac, clientMac, sessionKey);
        }
    }

    static Keys deriveKeys(OpaqueSuite suite, byte[] ikm, byte[] preamble) {
        int nx = suite.hashLength();
        byte[] prk = suite.extract(EMPTY, ikm);
        byte[] preambleHash = suite.hash(preamble);
        byte[] handshakeSecret = suite.expandLabel(prk, "HandshakeSecret", preambleHash, nx);
        byte[] sessionKey = suite.expandLabel(prk, "SessionKey", preambleHash, nx);
        byte[] km2 = suite.expandLabel(handshakeSecret, "ServerMAC", EMPTY, nx);
        byte[] km3 = suite.expandLabel(handshakeSecret, "ClientMAC", EMPTY, nx);
        byte[] serverMac = suite.mac(km2, preambleHash);
        byte[] clientMac = suite.mac(km3, suite.hash(preamble, serverMac));
        Bytes.wipe(prk, handshakeSecret, km2, km3);
        return new Keys(serverMac, clientMac, sessionKey);
    }
}
