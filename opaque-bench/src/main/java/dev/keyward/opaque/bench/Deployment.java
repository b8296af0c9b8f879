package dev.keyward.opaque.bench;

import dev.keyward.opaque.Identities;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationResponse;
import dev.keyward.opaque.ServerSetup;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A server with one registered user and a client that knows the password, set up through the
 * public API only, as an application would. Both sides use the production SecureRandom.
 * The client runs {@link Ksf#IDENTITY}: client numbers then show the protocol's own cost, not
 * the password hashing a real deployment adds on top.
 */
final class Deployment {
    static final byte[] USER_ID = "alice@example.com".getBytes(StandardCharsets.UTF_8);
    static final byte[] UNKNOWN_USER_ID = "mallory@example.com".getBytes(StandardCharsets.UTF_8);
    static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTEXT = "keyward-bench".getBytes(StandardCharsets.UTF_8);

    final OpaqueSuite suite;
    final OpaqueServer server;
    final OpaqueClient client;
    final RegistrationRecord record;

    Deployment(OpaqueSuite suite) {
        this.suite = suite;
        OpaqueConfiguration config = new OpaqueConfiguration(suite, CONTEXT, Ksf.IDENTITY);
        this.server = new OpaqueServer(config, ServerSetup.generate(suite, new SecureRandom()));
        this.client = new OpaqueClient(config);
        OpaqueClient.RegistrationStart start = client.startRegistration(PASSWORD);
        RegistrationResponse response = server.createRegistrationResponse(start.request(), USER_ID);
        this.record = client.finishRegistration(start.state(), response, Identities.NONE)
                .record();
    }
}
