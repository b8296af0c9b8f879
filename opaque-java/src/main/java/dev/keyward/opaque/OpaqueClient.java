package dev.keyward.opaque;

import java.security.SecureRandom;

/**
 * The client side of OPAQUE-3DH (RFC 9807): registration and login. It runs the KSF of its
 * configuration. Thread-safe; state objects belong to one registration or login.
 */
public final class OpaqueClient {
    private static final byte[] MASKING_KEY = Bytes.ascii("MaskingKey");
    private static final byte[] AUTH_KEY = Bytes.ascii("AuthKey");
    private static final byte[] EXPORT_KEY = Bytes.ascii("ExportKey");
    private static final byte[] PRIVATE_KEY = Bytes.ascii("PrivateKey");
    private static final byte[] EMPTY = new byte[0];

    private final OpaqueConfiguration config;
    private final OpaqueSuite suite;
    private final Oprf oprf;
    private final SecureRandom random;

    /** @param config the configuration shared with the server */
    public OpaqueClient(OpaqueConfiguration config) {
        this(config, new SecureRandom());
    }

    /**
     * @param config the configuration shared with the server
     * @param random the randomness source for blinds, nonces and ephemeral keys
     */
    public OpaqueClient(OpaqueConfiguration config, SecureRandom random) {
        this.config = config;
        this.suite = config.suite();
        this.oprf = new Oprf(suite);
        this.random = random;
    }

    /** Client state between {@link #startRegistration} and {@link #finishRegistration}. */
    public static final class RegistrationState {
        private final byte[] password;
        private final byte[] blind;

        RegistrationState(byte[] password, byte[] blind) {
            this.password = password;
            this.blind = blind;
        }

        /** Overwrites the password copy and the blind. */
        public void destroy() {
            Bytes.wipe(password, blind);
        }
    }

    /** Client state between {@link #startLogin} and {@link #finishLogin}. */
    public static final class LoginState {
        private final byte[] password;
        private final byte[] blind;
        private final byte[] keyshareKey;
        private final KE1 ke1;

        LoginState(byte[] password, byte[] blind, byte[] keyshareKey, KE1 ke1) {
            this.password = password;
            this.blind = blind;
            this.keyshareKey = keyshareKey;
            this.ke1 = ke1;
        }

        /** Overwrites the password copy, the blind and the ephemeral private key. */
        public void destroy() {
            Bytes.wipe(password, blind, keyshareKey);
        }
    }

    /**
     * @param request to send to the server
     * @param state to keep for {@link #finishRegistration}
     */
    public record RegistrationStart(RegistrationRequest request, RegistrationState state) {}

    /**
     * @param record to upload to the server
     * @param exportKey an application key only this password can re-derive (secret)
     */
    public record RegistrationResult(RegistrationRecord record, byte[] exportKey) {}

    /**
     * @param ke1 to send to the server
     * @param state to keep for {@link #finishLogin}
     */
    public record LoginStart(KE1 ke1, LoginState state) {}

    /**
     * @param ke3 to send to the server
     * @param sessionKey the key shared with the server (secret)
     * @param exportKey the same export key as at registration (secret)
     */
    public record LoginResult(KE3 ke3, byte[] sessionKey, byte[] exportKey) {}

    /**
     * Starts a registration (RFC 9807 CreateRegistrationRequest).
     *
     * @param password the password (copied)
     * @return the request and state
     */
    public RegistrationStart startRegistration(byte[] password) {
        return startRegistration(password, suite.group().randomScalar(random));
    }

    /**
     * Finishes a registration (RFC 9807 FinalizeRegistrationRequest).
     *
     * @param state from {@link #startRegistration}; destroyed by this call
     * @param response the server's response
     * @param identities explicit identities, or {@link Identities#NONE}
     * @return the record to upload and the export key
     */
    public RegistrationResult finishRegistration(
            RegistrationState state, RegistrationResponse response, Identities identities) {
        byte[] envelopeNonce = new byte[OpaqueSuite.NONCE_LENGTH];
        random.nextBytes(envelopeNonce);
        return finishRegistration(state, response, identities, envelopeNonce);
    }

    /**
     * Starts a login (RFC 9807 GenerateKE1).
     *
     * @param password the password (copied)
     * @return KE1 and the state
     */
    public LoginStart startLogin(byte[] password) {
        byte[] nonce = new byte[OpaqueSuite.NONCE_LENGTH];
        byte[] seed = new byte[OpaqueSuite.SEED_LENGTH];
        random.nextBytes(nonce);
        random.nextBytes(seed);
        try {
            return startLogin(password, suite.group().randomScalar(random), nonce, seed);
        } finally {
            Bytes.wipe(seed);
        }
    }

    /**
     * Finishes a login (RFC 9807 GenerateKE3): recovers the envelope, authenticates the server.
     *
     * @param state from {@link #startLogin}; destroyed by this call
     * @param ke2 the server's KE2
     * @param identities the identities used at registration
     * @return KE3 for the server, the session key and the export key
     * @throws AuthenticationException wrong password, unknown user, or a server that failed to
     *     authenticate
     */
    public LoginResult finishLogin(LoginState state, KE2 ke2, Identities identities) throws AuthenticationException {
        checkSuite(ke2.suite());
        byte[] randomizedPassword = null;
        byte[] maskingKey = null;
        byte[] pad = null;
        byte[] clientPrivateKey = null;
        try {
            randomizedPassword = randomizedPassword(state.password, state.blind, ke2.evaluatedMessage());
            maskingKey = suite.expand(randomizedPassword, MASKING_KEY, suite.hashLength());
            pad = ThreeDh.credentialResponsePad(suite, maskingKey, ke2.maskingNonce());
            byte[] unmasked = Bytes.xor(pad, ke2.maskedResponse());
            int npk = suite.publicKeyLength();
            byte[] serverPublicKeyBytes = Bytes.slice(unmasked, 0, npk);
            byte[] envelopeNonce = Bytes.slice(unmasked, npk, OpaqueSuite.NONCE_LENGTH);
            byte[] authTag = Bytes.slice(unmasked, npk + OpaqueSuite.NONCE_LENGTH, suite.hashLength());

            // Recover: check the envelope before trusting the unmasked server key.
            clientPrivateKey = clientPrivateKey(randomizedPassword, envelopeNonce);
            KeyExchangeGroup ake = suite.keyExchange();
            byte[] clientPublicKey = ake.publicKey(clientPrivateKey).encode();
            Identities.CleartextCredentials credentials = identities.resolve(serverPublicKeyBytes, clientPublicKey);
            byte[] expectedTag = envelopeTag(randomizedPassword, envelopeNonce, credentials);
            if (!Bytes.constantTimeEquals(expectedTag, authTag)) {
                throw new AuthenticationException();
            }
            KeyExchangeGroup.PublicKey serverPublicKey = decodeOrFail(serverPublicKeyBytes);
            byte[] exportKey =
                    suite.expand(randomizedPassword, Bytes.concat(envelopeNonce, EXPORT_KEY), suite.hashLength());

            byte[] preamble = ThreeDh.preamble(
                    config.contextUnsafe(),
                    credentials,
                    state.ke1.toBytes(),
                    ke2.credentialResponse(),
                    ke2.serverNonce(),
                    ke2.serverPublicKeyshare().encode());
            byte[] dh1 = ake.diffieHellman(state.keyshareKey, ke2.serverPublicKeyshare());
            byte[] dh2 = ake.diffieHellman(state.keyshareKey, serverPublicKey);
            byte[] dh3 = ake.diffieHellman(clientPrivateKey, ke2.serverPublicKeyshare());
            byte[] ikm = Bytes.concat(dh1, dh2, dh3);
            ThreeDh.Keys keys = ThreeDh.deriveKeys(suite, ikm, preamble);
            Bytes.wipe(dh1, dh2, dh3, ikm);
            if (!Bytes.constantTimeEquals(keys.serverMac(), ke2.serverMac())) {
                keys.wipe();
                Bytes.wipe(exportKey);
                throw new AuthenticationException();
            }
            return new LoginResult(new KE3(suite, keys.clientMac()), keys.sessionKey(), exportKey);
        } finally {
            Bytes.wipe(randomizedPassword, maskingKey, pad, clientPrivateKey);
            state.destroy();
        }
    }

    // Deterministic cores, used directly by the RFC vector tests.

    RegistrationStart startRegistration(byte[] password, byte[] blind) {
        byte[] pw = OpaqueSuite.copy(password);
        PrimeOrderGroup.Element blinded = blindOrFail(pw, blind);
        return new RegistrationStart(new RegistrationRequest(suite, blinded), new RegistrationState(pw, blind));
    }

    RegistrationResult finishRegistration(
            RegistrationState state, RegistrationResponse response, Identities identities, byte[] envelopeNonce) {
        checkSuite(response.suite());
        byte[] randomizedPassword = randomizedPassword(state.password, state.blind, response.evaluatedMessage());
        byte[] clientPrivateKey = clientPrivateKey(randomizedPassword, envelopeNonce);
        try {
            KeyExchangeGroup.PublicKey clientPublicKey = suite.keyExchange().publicKey(clientPrivateKey);
            byte[] maskingKey = suite.expand(randomizedPassword, MASKING_KEY, suite.hashLength());
            byte[] exportKey =
                    suite.expand(randomizedPassword, Bytes.concat(envelopeNonce, EXPORT_KEY), suite.hashLength());
            Identities.CleartextCredentials credentials =
                    identities.resolve(response.serverPublicKey(), clientPublicKey.encode());
            byte[] tag = envelopeTag(randomizedPassword, envelopeNonce, credentials);
            RegistrationRecord record =
                    new RegistrationRecord(suite, clientPublicKey, maskingKey, Bytes.concat(envelopeNonce, tag));
            return new RegistrationResult(record, exportKey);
        } finally {
            Bytes.wipe(randomizedPassword, clientPrivateKey);
            state.destroy();
        }
    }

    LoginStart startLogin(byte[] password, byte[] blind, byte[] clientNonce, byte[] keyshareSeed) {
        byte[] pw = OpaqueSuite.copy(password);
        PrimeOrderGroup.Element blinded = blindOrFail(pw, blind);
        byte[] keyshareKey = suite.keyExchange().derivePrivateKey(keyshareSeed);
        KeyExchangeGroup.PublicKey keyshare = suite.keyExchange().publicKey(keyshareKey);
        KE1 ke1 = new KE1(suite, blinded, OpaqueSuite.copy(clientNonce), keyshare);
        return new LoginStart(ke1, new LoginState(pw, blind, keyshareKey, ke1));
    }

    private byte[] randomizedPassword(byte[] password, byte[] blind, PrimeOrderGroup.Element evaluated) {
        byte[] oprfOutput = oprf.finalize(password, blind, evaluated);
        byte[] stretched = config.ksf().stretch(oprfOutput);
        try {
            return suite.extract(EMPTY, Bytes.concat(oprfOutput, stretched));
        } finally {
            Bytes.wipe(oprfOutput, stretched);
        }
    }

    private byte[] clientPrivateKey(byte[] randomizedPassword, byte[] envelopeNonce) {
        byte[] seed =
                suite.expand(randomizedPassword, Bytes.concat(envelopeNonce, PRIVATE_KEY), OpaqueSuite.SEED_LENGTH);
        try {
            return suite.keyExchange().derivePrivateKey(seed);
        } finally {
            Bytes.wipe(seed);
        }
    }

    private byte[] envelopeTag(
            byte[] randomizedPassword, byte[] envelopeNonce, Identities.CleartextCredentials credentials) {
        byte[] authKey = suite.expand(randomizedPassword, Bytes.concat(envelopeNonce, AUTH_KEY), suite.hashLength());
        try {
            return suite.mac(authKey, envelopeNonce, credentials.serialize());
        } finally {
            Bytes.wipe(authKey);
        }
    }

    private PrimeOrderGroup.Element blindOrFail(byte[] password, byte[] blind) {
        try {
            return oprf.blind(password, blind);
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException("password cannot be used (maps to the identity element)", e);
        }
    }

    private KeyExchangeGroup.PublicKey decodeOrFail(byte[] serverPublicKey) throws AuthenticationException {
        try {
            return suite.keyExchange().decodePublicKey(serverPublicKey);
        } catch (InvalidMessageException e) {
            // Only reachable with a valid envelope MAC over a bad key: a malicious server.
            throw new AuthenticationException();
        }
    }

    private void checkSuite(OpaqueSuite other) {
        if (other != suite) {
            throw new IllegalArgumentException("message is for suite " + other + ", client runs " + suite);
        }
    }
}
