package dev.keyward.opaque;

import static dev.keyward.opaque.Peers.assertLogin;
import static dev.keyward.opaque.Peers.clientLogin;
import static dev.keyward.opaque.Peers.register;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.SerenityFlavor.Stretching;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Registration and login between our library and @serenity-kit/opaque 1.1.0 (and its P-256
 * twin) in both directions, run by Node through {@link SerenityDriver}. Most runs use a cheap
 * custom Argon2id on both clients; {@link #defaultArgon2idRecordWorksWithEitherClient} uses the
 * package's default.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerenityInteropTest {
    static final String USER = "user-7f3a";
    // Non-ASCII on purpose: both sides must hash the UTF-8 bytes.
    static final String PASSWORD = "correct horse battery staple ✓";
    private static final String WRONG_PASSWORD = "correct horse battery staple ✗";
    private static final Peers.Ids IDS = new Peers.Ids("alice@example.com", "keycloak.example");
    private static final Peers.Ids NONE = Peers.Ids.NONE;
    private static final SerenityDrivers DRIVERS = new SerenityDrivers();

    @AfterAll
    static void stopDrivers() {
        DRIVERS.close();
    }

    static JavaPeers.Server javaServer(SerenityFlavor f, ServerSetup setup, Peers.Ids ids) {
        return new JavaPeers.Server(f.javaConfig(Stretching.CHEAP), setup, ids);
    }

    private static JavaPeers.Server javaServer(SerenityFlavor f, Peers.Ids ids) {
        return javaServer(f, ServerSetup.generate(f.suite, new SecureRandom()), ids);
    }

    private static SerenityPeers.Server serenityServer(SerenityFlavor f, Peers.Ids ids) {
        SerenityDriver driver = DRIVERS.get(f);
        return new SerenityPeers.Server(driver, SerenityPeers.Server.createSetup(driver), ids);
    }

    private static JavaPeers.Client javaClient(SerenityFlavor f, Stretching s, Peers.Ids ids) {
        return new JavaPeers.Client(f.javaConfig(s), ids);
    }

    private static SerenityPeers.Client serenityClient(SerenityFlavor f, Stretching s, Peers.Ids ids) {
        return new SerenityPeers.Client(DRIVERS.get(f), f, s, ids);
    }

    @ParameterizedTest
    @EnumSource
    void serenityClientRegistersAndLogsInAtJavaServer(SerenityFlavor f) throws Exception {
        JavaPeers.Server server = javaServer(f, NONE);
        SerenityPeers.Client client = serenityClient(f, Stretching.CHEAP, NONE);
        Peers.Registration registration = register(client, server, USER, PASSWORD);
        assertArrayEquals(server.serverPublicKey(), client.serverStaticPublicKey());
        assertLogin(client, server, registration, USER, PASSWORD);
        assertArrayEquals(server.serverPublicKey(), client.serverStaticPublicKey());
    }

    @ParameterizedTest
    @EnumSource
    void javaClientRegistersAndLogsInAtSerenityServer(SerenityFlavor f) throws Exception {
        SerenityPeers.Server server = serenityServer(f, NONE);
        JavaPeers.Client client = javaClient(f, Stretching.CHEAP, NONE);
        Peers.Registration registration = register(client, server, USER, PASSWORD);
        assertLogin(client, server, registration, USER, PASSWORD);
    }

    /**
     * Both clients with the package's default Argon2id (t=3, 64 MiB, p=4; no keyStretching
     * option on their side): a record made by our client at their server is opened by their
     * client at our server (same setup) and by ours at theirs, so both KSFs agree bit for bit.
     */
    @ParameterizedTest
    @EnumSource
    void defaultArgon2idRecordWorksWithEitherClient(SerenityFlavor f) throws Exception {
        SerenityPeers.Server theirs = serenityServer(f, NONE);
        JavaPeers.Server ours = javaServer(f, ServerSetup.fromBytes(f.suite, Base64Url.decode(theirs.setup())), NONE);
        Peers.Registration registration = register(javaClient(f, Stretching.DEFAULT, NONE), theirs, USER, PASSWORD);
        assertLogin(serenityClient(f, Stretching.DEFAULT, NONE), ours, registration, USER, PASSWORD);
        assertLogin(javaClient(f, Stretching.DEFAULT, NONE), theirs, registration, USER, PASSWORD);
    }

    /**
     * Their client notices a wrong password itself (finishLogin returns undefined), so no KE3
     * exists; the only KE3 it could send is an old one, which our server's pending login rejects.
     */
    @ParameterizedTest
    @EnumSource
    void wrongPasswordFailsForSerenityClientAtJavaServer(SerenityFlavor f) throws Exception {
        JavaPeers.Server server = javaServer(f, NONE);
        SerenityPeers.Client client = serenityClient(f, Stretching.CHEAP, NONE);
        Peers.Registration registration = register(client, server, USER, PASSWORD);
        Peers.Login earlier = assertLogin(client, server, registration, USER, PASSWORD);

        assertTrue(clientLogin(client, server, registration.record(), USER, WRONG_PASSWORD)
                .isEmpty());
        assertTrue(server.finishLogin(earlier.ke3()).isEmpty(), "replayed KE3 accepted");
    }

    /** Ours throws AuthenticationException (the peer maps only that to empty); theirs rejects an old KE3. */
    @ParameterizedTest
    @EnumSource
    void wrongPasswordFailsForJavaClientAtSerenityServer(SerenityFlavor f) throws Exception {
        SerenityPeers.Server server = serenityServer(f, NONE);
        JavaPeers.Client client = javaClient(f, Stretching.CHEAP, NONE);
        Peers.Registration registration = register(client, server, USER, PASSWORD);
        Peers.Login earlier = assertLogin(client, server, registration, USER, PASSWORD);

        assertTrue(clientLogin(client, server, registration.record(), USER, WRONG_PASSWORD)
                .isEmpty());
        assertTrue(server.finishLogin(earlier.ke3()).isEmpty(), "replayed KE3 accepted");
    }

    /** A KE3 with one flipped bit is rejected by either server. */
    @ParameterizedTest
    @EnumSource
    void tamperedKe3IsRejected(SerenityFlavor f) throws Exception {
        assertTamperedKe3Rejected(serenityClient(f, Stretching.CHEAP, NONE), javaServer(f, NONE));
        assertTamperedKe3Rejected(javaClient(f, Stretching.CHEAP, NONE), serenityServer(f, NONE));
    }

    private static void assertTamperedKe3Rejected(Peers.Client client, Peers.Server server) throws Exception {
        Peers.Registration registration = register(client, server, USER, PASSWORD);
        byte[] ke3 = clientLogin(client, server, registration.record(), USER, PASSWORD)
                .orElseThrow()
                .ke3();
        ke3[0] ^= 0x01;
        assertTrue(server.finishLogin(ke3).isEmpty(), "tampered KE3 accepted");
    }

    /** Unknown users get a fake KE2 that parses like a real one and fails on the client. */
    @ParameterizedTest
    @EnumSource
    void unknownUserFailsOnEitherClient(SerenityFlavor f) throws Exception {
        assertTrue(clientLogin(serenityClient(f, Stretching.CHEAP, NONE), javaServer(f, NONE), null, "nobody", PASSWORD)
                .isEmpty());
        assertTrue(clientLogin(javaClient(f, Stretching.CHEAP, NONE), serenityServer(f, NONE), null, "nobody", PASSWORD)
                .isEmpty());
    }

    /** Their {@code identifiers: {client, server}} strings are our Identities of their UTF-8 bytes. */
    @ParameterizedTest
    @EnumSource
    void identifiersInBothDirections(SerenityFlavor f) throws Exception {
        JavaPeers.Server ours = javaServer(f, IDS);
        SerenityPeers.Client theirClient = serenityClient(f, Stretching.CHEAP, IDS);
        assertLogin(theirClient, ours, register(theirClient, ours, USER, PASSWORD), USER, PASSWORD);

        SerenityPeers.Server theirs = serenityServer(f, IDS);
        JavaPeers.Client ourClient = javaClient(f, Stretching.CHEAP, IDS);
        assertLogin(ourClient, theirs, register(ourClient, theirs, USER, PASSWORD), USER, PASSWORD);
    }

    /** Identifiers are bound into the record and the transcript: leaving them out at login fails. */
    @ParameterizedTest
    @EnumSource
    void identifiersMustMatchAtLogin(SerenityFlavor f) throws Exception {
        ServerSetup setup = ServerSetup.generate(f.suite, new SecureRandom());
        SerenityPeers.Client theirClient = serenityClient(f, Stretching.CHEAP, IDS);
        Peers.Registration registration = register(theirClient, javaServer(f, setup, IDS), USER, PASSWORD);
        // The envelope still opens (same client identifiers), but the server MAC covers other identities.
        assertTrue(clientLogin(theirClient, javaServer(f, setup, NONE), registration.record(), USER, PASSWORD)
                .isEmpty());

        SerenityPeers.Server theirs = serenityServer(f, IDS);
        Peers.Registration ours = register(javaClient(f, Stretching.CHEAP, IDS), theirs, USER, PASSWORD);
        // Our client without identifiers computes another envelope tag and stops there.
        assertTrue(clientLogin(javaClient(f, Stretching.CHEAP, NONE), theirs, ours.record(), USER, PASSWORD)
                .isEmpty());
    }

    /**
     * opaque-ke binds {@code identifiers: {client: ""}} as an empty identity, not as "absent".
     * RFC 9807 gives identities 1..2^16-1 bytes, so our Identities rejects the empty one: such a
     * registration cannot be logged into through us. Callers must never send empty identifiers.
     */
    @ParameterizedTest
    @EnumSource
    void emptyIdentifierIsNotAbsentAndNotSupported(SerenityFlavor f) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Identities(new byte[0], null));
        JavaPeers.Server server = javaServer(f, NONE);
        SerenityPeers.Client client = serenityClient(f, Stretching.CHEAP, new Peers.Ids("", null));
        Peers.Registration registration = register(client, server, USER, PASSWORD);
        assertTrue(clientLogin(client, server, registration.record(), USER, PASSWORD)
                .isEmpty());
    }
}
