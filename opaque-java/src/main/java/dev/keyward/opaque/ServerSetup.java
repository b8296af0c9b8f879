package dev.keyward.opaque;

import java.security.SecureRandom;

/**
 * The server's long-term OPAQUE secrets: the OPRF seed, the server's static key pair, and the
 * public key used in fake records for unknown users (RFC 9807 section 6.3.2.2). Losing it
 * invalidates every registration record; leaking it together with the records enables offline
 * guessing, so keep it out of the database that stores the records.
 *
 * <p>{@link #toBytes()} uses the layout of @serenity-kit/opaque's {@code serverSetup}:
 * {@code oprf_seed (Nh) || server_private_key (Nsk) || fake_client_public_key (Npk)}.
 */
public final class ServerSetup {
    private final OpaqueSuite suite;
    private final byte[] oprfSeed;
    private final byte[] serverPrivateKey;
    private final byte[] serverPublicKey;
    private final byte[] fakeClientPublicKey;

    private ServerSetup(OpaqueSuite suite, byte[] oprfSeed, byte[] serverPrivateKey, byte[] fakeClientPublicKey) {
        this.suite = suite;
        this.oprfSeed = oprfSeed;
        this.serverPrivateKey = serverPrivateKey;
        this.serverPublicKey = suite.keyExchange().publicKey(serverPrivateKey).encode();
        this.fakeClientPublicKey = fakeClientPublicKey;
    }

    /**
     * Generates fresh server secrets.
     *
     * @param suite the suite
     * @param random the randomness source
     * @return a new setup
     */
    public static ServerSetup generate(OpaqueSuite suite, SecureRandom random) {
        KeyExchangeGroup ake = suite.keyExchange();
        byte[] oprfSeed = new byte[suite.hashLength()];
        random.nextBytes(oprfSeed);
        byte[] seed = new byte[OpaqueSuite.SEED_LENGTH];
        random.nextBytes(seed);
        byte[] serverKey = ake.derivePrivateKey(seed);
        random.nextBytes(seed);
        byte[] fakeKey = ake.derivePrivateKey(seed);
        byte[] fakePublic = ake.publicKey(fakeKey).encode();
        Bytes.wipe(seed, fakeKey);
        return new ServerSetup(suite, oprfSeed, serverKey, fakePublic);
    }

    /**
     * Restores a setup from {@link #toBytes()} (also accepts @serenity-kit/opaque's
     * {@code serverSetup} after base64url decoding).
     *
     * @param suite the suite
     * @param bytes the serialized setup
     * @return the setup
     * @throws InvalidMessageException on a wrong length, an invalid private key or public key
     */
    public static ServerSetup fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(suite, bytes,
                suite == null ? 0 : suite.hashLength() + suite.privateKeyLength() + suite.publicKeyLength(),
                "server setup");
        byte[] oprfSeed = r.bytes(suite.hashLength());
        byte[] serverKey = r.bytes(suite.privateKeyLength());
        suite.keyExchange().checkPrivateKey(serverKey);
        byte[] fakePublic = r.publicKey().encode();
        return new ServerSetup(suite, oprfSeed, serverKey, fakePublic);
    }

    /** @return the secret serialization; handle like a private key */
    public byte[] toBytes() {
        return Bytes.concat(oprfSeed, serverPrivateKey, fakeClientPublicKey);
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    /** @return the server's static public key (safe to publish) */
    public byte[] serverPublicKey() {
        return OpaqueSuite.copy(serverPublicKey);
    }

    byte[] oprfSeed() {
        return oprfSeed;
    }

    byte[] serverPrivateKey() {
        return serverPrivateKey;
    }

    byte[] serverPublicKeyUnsafe() {
        return serverPublicKey;
    }

    byte[] fakeClientPublicKey() {
        return fakeClientPublicKey;
    }

    /** Overwrites the secret fields; the object is unusable afterwards. */
    public void destroy() {
        Bytes.wipe(oprfSeed, serverPrivateKey);
    }
}
