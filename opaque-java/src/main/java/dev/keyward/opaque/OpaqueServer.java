package dev.keyward.opaque;

import java.security.SecureRandom;

/**
 * The server side of OPAQUE-3DH (RFC 9807). Stateless and thread-safe: per-login state is
 * returned to the caller as a {@link ServerLoginState}.
 *
 * <pre>{@code
 * OpaqueServer server = new OpaqueServer(config, setup);
 * // registration
 * RegistrationResponse response = server.createRegistrationResponse(request, userId);
 * // login
 * ServerLoginStart start = server.startLogin(recordOrNull, ke1, userId, identities);
 * byte[] sessionKey = server.finishLogin(start.state(), ke3); // throws AuthenticationException
 * }</pre>
 */
public final class OpaqueServer {
    private static final byte[] OPRF_KEY_LABEL = Bytes.ascii("OprfKey");
    private static final byte[] OPRF_KEY_INFO = Bytes.ascii("OPAQUE-DeriveKeyPair");

    private final OpaqueConfiguration config;
    private final OpaqueSuite suite;
    private final ServerSetup setup;
    private final Oprf oprf;
    private final SecureRandom random;

    /**
     * @param config the configuration shared with clients (its KSF is not used here)
     * @param setup the server's long-term secrets, of the same suite
     */
    public OpaqueServer(OpaqueConfiguration config, ServerSetup setup) {
        this(config, setup, new SecureRandom());
    }

    /**
     * @param config the configuration shared with clients (its KSF is not used here)
     * @param setup the server's long-term secrets, of the same suite
     * @param random the randomness source for nonces and ephemeral keys
     */
    public OpaqueServer(OpaqueConfiguration config, ServerSetup setup, SecureRandom random) {
        if (config.suite() != setup.suite()) {
            throw new IllegalArgumentException("server setup is for another suite");
        }
        this.config = config;
        this.suite = config.suite();
        this.setup = setup;
        this.oprf = new Oprf(suite);
        this.random = random;
    }

    /** The result of {@link #startLogin}: KE2 for the client and the state to keep. */
    public record ServerLoginStart(KE2 ke2, ServerLoginState state) {}

    /**
     * Answers a registration request (RFC 9807 CreateRegistrationResponse).
     *
     * @param request the client's request
     * @param credentialIdentifier a stable, unique identifier of the account (e.g. user id);
     *     the same value must be used at login
     * @return the response
     */
    public RegistrationResponse createRegistrationResponse(RegistrationRequest request, byte[] credentialIdentifier) {
        checkSuite(request.suite());
        byte[] oprfKey = oprfKey(credentialIdentifier);
        PrimeOrderGroup.Element evaluated = oprf.blindEvaluate(oprfKey, request.blindedMessage());
        Bytes.wipe(oprfKey);
        return new RegistrationResponse(suite, evaluated, setup.serverPublicKey());
    }

    /**
     * Answers KE1 (RFC 9807 GenerateKE2). With a null record (unknown user) it answers with a
     * fake credential response that is indistinguishable from a real one, and the later
     * {@link #finishLogin} fails: callers should take the same path for known and unknown
     * users.
     *
     * @param record the user's stored record, or null if there is none
     * @param ke1 the client's KE1
     * @param credentialIdentifier the identifier used at registration (for unknown users,
     *     derive it the same way so answers are stable per name)
     * @param identities explicit identities, or {@link Identities#NONE}
     * @return KE2 and the state for {@link #finishLogin}
     */
    public ServerLoginStart startLogin(
            RegistrationRecord record, KE1 ke1, byte[] credentialIdentifier, Identities identities) {
        byte[] maskingNonce = randomBytes(OpaqueSuite.NONCE_LENGTH);
        byte[] serverNonce = randomBytes(OpaqueSuite.NONCE_LENGTH);
        byte[] keyshareSeed = randomBytes(OpaqueSuite.SEED_LENGTH);
        RegistrationRecord effective = record != null ? record : fakeRecord(randomBytes(suite.hashLength()));
        try {
            return startLogin(
                    effective, ke1, credentialIdentifier, identities, maskingNonce, serverNonce, keyshareSeed);
        } finally {
            Bytes.wipe(keyshareSeed);
        }
    }

    /**
     * Checks KE3 (RFC 9807 ServerFinish) in constant time.
     *
     * @param state the state from {@link #startLogin}; destroyed by this call
     * @param ke3 the client's KE3
     * @return the session key shared with the client
     * @throws AuthenticationException if the client MAC does not verify
     */
    public byte[] finishLogin(ServerLoginState state, KE3 ke3) throws AuthenticationException {
        checkSuite(state.suite());
        checkSuite(ke3.suite());
        try {
            if (!Bytes.constantTimeEquals(state.expectedClientMac(), ke3.clientMac())) {
                throw new AuthenticationException();
            }
            return OpaqueSuite.copy(state.sessionKey());
        } finally {
            state.destroy();
        }
    }

    /** @return the configuration */
    public OpaqueConfiguration configuration() {
        return config;
    }

    // Deterministic core, used directly by the RFC vector tests.
    ServerLoginStart startLogin(
            RegistrationRecord record,
            KE1 ke1,
            byte[] credentialIdentifier,
            Identities identities,
            byte[] maskingNonce,
            byte[] serverNonce,
            byte[] keyshareSeed) {
        checkSuite(record.suite());
        checkSuite(ke1.suite());
        byte[] serverPublicKey = setup.serverPublicKeyUnsafe();

        byte[] oprfKey = oprfKey(credentialIdentifier);
        PrimeOrderGroup.Element evaluated = oprf.blindEvaluate(oprfKey, ke1.blindedMessage());
        Bytes.wipe(oprfKey);
        byte[] pad = ThreeDh.credentialResponsePad(suite, record.maskingKey(), maskingNonce);
        byte[] maskedResponse = Bytes.xor(pad, Bytes.concat(serverPublicKey, record.envelope()));
        byte[] credentialResponse = Bytes.concat(evaluated.encode(), maskingNonce, maskedResponse);

        Identities.CleartextCredentials credentials =
                identities.resolve(serverPublicKey, record.clientPublicKey().encode());
        KeyExchangeGroup ake = suite.keyExchange();
        byte[] ephemeralKey = ake.derivePrivateKey(keyshareSeed);
        KeyExchangeGroup.PublicKey serverKeyshare = ake.publicKey(ephemeralKey);
        byte[] preamble = ThreeDh.preamble(
                config.contextUnsafe(),
                credentials,
                ke1.toBytes(),
                credentialResponse,
                serverNonce,
                serverKeyshare.encode());

        byte[] dh1 = ake.diffieHellman(ephemeralKey, ke1.clientPublicKeyshare());
        byte[] dh2 = ake.diffieHellman(setup.serverPrivateKey(), ke1.clientPublicKeyshare());
        byte[] dh3 = ake.diffieHellman(ephemeralKey, record.clientPublicKey());
        byte[] ikm = Bytes.concat(dh1, dh2, dh3);
        ThreeDh.Keys keys = ThreeDh.deriveKeys(suite, ikm, preamble);
        Bytes.wipe(ephemeralKey, dh1, dh2, dh3, ikm, pad);

        KE2 ke2 =
                new KE2(suite, evaluated, maskingNonce, maskedResponse, serverNonce, serverKeyshare, keys.serverMac());
        return new ServerLoginStart(ke2, new ServerLoginState(suite, keys.clientMac(), keys.sessionKey()));
    }

    /** RFC 9807 section 6.3.2.2: fake record with the setup's fake key, a random masking key, zero envelope. */
    RegistrationRecord fakeRecord(byte[] maskingKey) {
        try {
            return new RegistrationRecord(
                    suite,
                    suite.keyExchange().decodePublicKey(setup.fakeClientPublicKey()),
                    maskingKey,
                    new byte[suite.envelopeLength()]);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("server setup holds an invalid fake public key", e);
        }
    }

    private byte[] oprfKey(byte[] credentialIdentifier) {
        byte[] seed = suite.expand(
                setup.oprfSeed(), Bytes.concat(credentialIdentifier, OPRF_KEY_LABEL), suite.privateKeyLength());
        try {
            return oprf.deriveKeyPair(seed, OPRF_KEY_INFO);
        } finally {
            Bytes.wipe(seed);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void checkSuite(OpaqueSuite other) {
        if (other != suite) {
            throw new IllegalArgumentException("message is for suite " + other + ", server runs " + suite);
        }
    }
}
