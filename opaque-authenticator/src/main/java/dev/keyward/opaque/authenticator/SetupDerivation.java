package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.ServerSetup;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Derives each realm's OPAQUE keys from the one server-level setup secret, so nothing secret is
 * stored in the database and every cluster node computes the same keys from the same
 * configuration.
 *
 * <p>Exactly (all strings UTF-8, {@code lp(x) = I2OSP(len(x), 2) || x}):
 * <pre>
 * PRK   = HKDF-Extract(salt = "keyward-opaque-setup-v1", IKM = secret)                  (HKDF-SHA-512)
 * info(label) = lp(label) || lp(suite identifier) || lp(realm id)
 * oprf_seed            = HKDF-Expand(PRK, info("oprf-seed"),            Nh)   Nh = 64 (ristretto255), 32 (P-256)
 * server_key_seed      = HKDF-Expand(PRK, info("server-key-seed"),      32)
 * fake_client_key_seed = HKDF-Expand(PRK, info("fake-client-key-seed"), 32)
 * unknown_user_key     = HKDF-Expand(PRK, info("unknown-user-key"),     32)
 * legacy_coin_key      = HKDF-Expand(PRK, info("legacy-coin-key"),      32)
 *
 * server private key      = DeriveDiffieHellmanKeyPair(server_key_seed)       (RFC 9807 6.4.1)
 * fake client public key  = public key of DeriveDiffieHellmanKeyPair(fake_client_key_seed)
 * ServerSetup             = oprf_seed || server private key || fake client public key
 * unknown user's credential identifier
 *                         = "unknown:" || base64url(HMAC-SHA-256(unknown_user_key, lower-case(username)))
 * locked user's credential identifier (a KE1 that gets no real evaluation)
 *                         = "withheld:" || base64url(HMAC-SHA-256(unknown_user_key, "withheld\0" || user id))
 * unknown user's answer under legacy migration
 *                         = "legacy" if the lowest bit of HMAC-SHA-256(legacy_coin_key, lower-case(username))[0] is 1,
 *                           else a fake KE2
 * </pre>
 * The realm id (not its name) is bound in, so renaming a realm keeps its keys and two realms
 * never share an OPRF key. The suite is bound in so that switching suites starts from unrelated
 * keys.
 */
final class SetupDerivation {
    private static final byte[] SALT = "keyward-opaque-setup-v1".getBytes(StandardCharsets.UTF_8);
    static final String LABEL_OPRF_SEED = "oprf-seed";
    static final String LABEL_SERVER_KEY_SEED = "server-key-seed";
    static final String LABEL_FAKE_CLIENT_KEY_SEED = "fake-client-key-seed";
    static final String LABEL_UNKNOWN_USER_KEY = "unknown-user-key";
    static final String LABEL_LEGACY_COIN_KEY = "legacy-coin-key";
    private static final int SEED_LENGTH = 32;

    private SetupDerivation() {}

    /** One realm's derived material. */
    record RealmKeys(ServerSetup setup, byte[] unknownUserKey, byte[] legacyCoinKey) {
        void destroy() {
            setup.destroy();
            Arrays.fill(unknownUserKey, (byte) 0);
            Arrays.fill(legacyCoinKey, (byte) 0);
        }
    }

    static RealmKeys derive(byte[] secret, OpaqueSuite suite, String realmId) {
        byte[] oprfSeed = expand(secret, LABEL_OPRF_SEED, suite, realmId, suite.hashLength());
        byte[] serverKeySeed = expand(secret, LABEL_SERVER_KEY_SEED, suite, realmId, SEED_LENGTH);
        byte[] fakeKeySeed = expand(secret, LABEL_FAKE_CLIENT_KEY_SEED, suite, realmId, SEED_LENGTH);
        byte[] unknownUserKey = expand(secret, LABEL_UNKNOWN_USER_KEY, suite, realmId, 32);
        byte[] legacyCoinKey = expand(secret, LABEL_LEGACY_COIN_KEY, suite, realmId, 32);
        try {
            return new RealmKeys(
                    ServerSetup.fromSeeds(suite, oprfSeed, serverKeySeed, fakeKeySeed), unknownUserKey, legacyCoinKey);
        } finally {
            Arrays.fill(oprfSeed, (byte) 0);
            Arrays.fill(serverKeySeed, (byte) 0);
            Arrays.fill(fakeKeySeed, (byte) 0);
        }
    }

    /**
     * The credential identifier for a name that matches no user: stable per name (so repeated
     * probes get consistent OPRF answers, as a real account would) and unlinkable to the name
     * without the secret.
     */
    static byte[] unknownUserIdentifier(byte[] unknownUserKey, String username) {
        byte[] out = nameMac(unknownUserKey, username);
        String id = "unknown:" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The credential identifier a KE1 for a real user is evaluated under when it must not reach
     * the user's OPRF key (the user is locked, or has as many open guesses as allowed): stable per
     * user, so repeated KE1s are answered alike, and, by its prefix, never a real user's (user
     * ids) nor an unknown name's identifier. Whoever holds the user's record learns nothing from
     * such an answer: the evaluation is under an unrelated key.
     */
    static byte[] withheldUserIdentifier(byte[] unknownUserKey, String userId) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(unknownUserKey));
        byte[] input = ("withheld\0" + userId).getBytes(StandardCharsets.UTF_8);
        mac.update(input, 0, input.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        String id = "withheld:" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a name that matches no user is answered like a user who still has only a legacy
     * Keycloak password (legacy migration on): a keyed coin, stable per name, so asking again
     * never tells an unknown name from a real account, and unpredictable without the secret.
     * Its own key, so the coin reveals nothing about the unknown-user identifier.
     */
    static boolean legacyCoin(byte[] legacyCoinKey, String username) {
        return (nameMac(legacyCoinKey, username)[0] & 1) == 1;
    }

    /** HMAC-SHA-256 over the trimmed, lower-cased name: "Alice" and "alice " are the same login name. */
    private static byte[] nameMac(byte[] key, String username) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        byte[] name = username.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        mac.update(name, 0, name.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    static byte[] expand(byte[] secret, String label, OpaqueSuite suite, String realmId, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA512Digest());
        hkdf.init(new HKDFParameters(secret, SALT, info(label, suite, realmId)));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    static byte[] info(String label, OpaqueSuite suite, String realmId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : new String[] {label, suite.identifier(), realmId}) {
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            if (b.length > 0xFFFF) {
                throw new IllegalArgumentException("derivation input too long");
            }
            out.write(b.length >>> 8);
            out.write(b.length & 0xFF);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}
