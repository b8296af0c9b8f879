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
        byte[] oprfSeed = new byte[suite.hashLength()];
        byte[] serverKeySeed = new byte[OpaqueSuite.SEED_LENGTH];
        byte[] fakeKeySeed = new byte[OpaqueSuite.SEED_LENGTH];
        random.nextBytes(oprfSeed);
        random.nextBytes(serverKeySeed);
        random.nextBytes(fakeKeySeed);
        try {
            return fromSeeds(suite, oprfSeed, serverKeySeed, fakeKeySeed);
        } finally {
            Bytes.wipe(oprfSeed, serverKeySeed, fakeKeySeed);
        }
    }

    /**
     * Derives a setup deterministically from seeds, for servers that derive their keys from a
     * configured secret (e.g. one setup per tenant from one master secret) rather than storing
     * them. The key pairs come from RFC 9807 DeriveDiffieHellmanKeyPair.
     *
     * @param suite the suite
     * @param oprfSeed Nh uniformly random bytes
     * @param serverKeySeed 32 uniformly random bytes, the seed of the server's key pair
     * @param fakeClientKeySeed 32 uniformly random bytes, the seed of the fake-record key pair
     * @return the setup; the seeds are copied, not retained
     * @throws IllegalArgumentException if a seed has the wrong length
     */
    public static ServerSetup fromSeeds(
            OpaqueSuite suite, byte[] oprfSeed, byte[] serverKeySeed, byte[] fakeClientKeySeed) {
        if (oprfSeed.length != suite.hashLength()
                || serverKeySeed.length != OpaqueSuite.SEED_LENGTH
                || fakeClientKeySeed.length != OpaqueSuite.SEED_LENGTH) {
            throw new IllegalArgumentException("seeds must be Nh, 32 and 32 bytes");
        }
        KeyExchangeGroup ake = suite.keyExchange();
        byte[] serverKey = ake.derivePrivateKey(serverKeySeed);
        byte[] fakeKey = ake.derivePrivateKey(fakeClientKeySeed);
        byte[] fakePublic = ake.publicKey(fakeKey).encode();
        Bytes.wipe(fakeKey);
        return new ServerSetup(suite, OpaqueSuite.copy(oprfSeed), serverKey, fakePublic);
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
        MessageReader r = MessageReader.of(
                suite,
                bytes,
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
