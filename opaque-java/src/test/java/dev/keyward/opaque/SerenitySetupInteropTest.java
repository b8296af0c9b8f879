package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.opaque.SerenityFlavor.Stretching;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The package's serverSetup and ours are the same secret in the same layout, and the wire
 * encoding is strict unpadded base64url on their side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerenitySetupInteropTest {
    // The credential identifier is the UTF-8 encoding of userIdentifier, non-ASCII included.
    private static final List<String> USERS = List.of(SerenityInteropTest.USER, "zoë@例え.jp");
    private static final SerenityDrivers DRIVERS = new SerenityDrivers();

    @AfterAll
    static void stopDrivers() {
        DRIVERS.close();
    }

    @ParameterizedTest
    @EnumSource
    void theirSetupRestoresIntoOurServer(SerenityFlavor f) throws Exception {
        SerenityDriver driver = DRIVERS.get(f);
        SerenityPeers.Server theirs =
                new SerenityPeers.Server(driver, SerenityPeers.Server.createSetup(driver), Peers.Ids.NONE);
        byte[] setupBytes = Base64Url.decode(theirs.setup());
        assertEquals(f.suite.hashLength() + f.suite.privateKeyLength() + f.suite.publicKeyLength(), setupBytes.length);

        ServerSetup setup = ServerSetup.fromBytes(f.suite, setupBytes);
        assertArrayEquals(theirs.serverPublicKey(), setup.serverPublicKey());
        assertArrayEquals(setupBytes, setup.toBytes());
        assertSameRegistrationResponses(
                f,
                theirs,
                SerenityInteropTest.javaServer(f, setup, Peers.Ids.NONE),
                new SerenityPeers.Client(driver, f, Stretching.CHEAP, Peers.Ids.NONE));
    }

    @ParameterizedTest
    @EnumSource
    void ourSetupDrivesTheirServer(SerenityFlavor f) throws Exception {
        ServerSetup setup = ServerSetup.generate(f.suite, new SecureRandom());
        SerenityPeers.Server theirs =
                new SerenityPeers.Server(DRIVERS.get(f), Base64Url.encode(setup.toBytes()), Peers.Ids.NONE);
        assertArrayEquals(setup.serverPublicKey(), theirs.serverPublicKey());
        assertSameRegistrationResponses(
                f,
                theirs,
                SerenityInteropTest.javaServer(f, setup, Peers.Ids.NONE),
                new JavaPeers.Client(f.javaConfig(Stretching.CHEAP), Peers.Ids.NONE));
    }

    /** Same setup, same request, same user: the OPRF evaluation and server key are byte-identical. */
    private static void assertSameRegistrationResponses(
            SerenityFlavor f, Peers.Server theirs, Peers.Server ours, Peers.Client client) throws Exception {
        byte[] request = client.startRegistration(SerenityInteropTest.PASSWORD);
        byte[] first = null;
        for (String user : USERS) {
            byte[] response = theirs.registrationResponse(request, user);
            assertEquals(f.suite.registrationResponseLength(), response.length);
            assertArrayEquals(response, ours.registrationResponse(request, user), user);
            if (first == null) {
                first = response;
            } else {
                // The per-user OPRF key really depends on the identifier.
                assertFalse(Arrays.equals(first, response));
            }
        }
    }

    /**
     * Their decoder is Rust base64's URL_SAFE_NO_PAD: the exact string passes, its padded and
     * its standard-alphabet forms are refused. Uses the recorded setup, which contains both
     * '-' and '_', so the standard alphabet really differs.
     */
    @ParameterizedTest
    @EnumSource
    void theirDecoderAcceptsOnlyUnpaddedBase64Url(SerenityFlavor f) {
        JsonNode wire = SerenityRecordedRunTest.recordedCase(f.suite, false).get("wire_base64url_nopad");
        String setup = wire.get("serverSetup").asText();
        assertTrue(setup.contains("-") && setup.contains("_") && setup.length() % 4 != 0, setup);
        byte[] bytes = Base64Url.decode(setup);
        SerenityDriver driver = DRIVERS.get(f);

        JsonNode publicKey =
                driver.call("server.getPublicKey", SerenityDriver.params().put("serverSetup", setup));
        assertEquals(wire.get("serverPublicKey").asText(), publicKey.asText());
        String padded = Base64.getUrlEncoder().encodeToString(bytes);
        String standard = Base64.getEncoder().withoutPadding().encodeToString(bytes);
        for (String rejected : List.of(padded, standard)) {
            assertNotEquals(setup, rejected);
            SerenityDriver.Reply reply = driver.tryCall(
                    "server.getPublicKey", SerenityDriver.params().put("serverSetup", rejected));
            assertFalse(reply.ok(), rejected);
            assertTrue(reply.error().startsWith("base64 decoding failed"), reply.error());
        }
    }
}
