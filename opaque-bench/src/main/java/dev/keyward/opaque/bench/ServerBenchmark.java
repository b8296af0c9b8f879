package dev.keyward.opaque.bench;

import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE1;
import dev.keyward.opaque.KE3;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationRequest;
import dev.keyward.opaque.RegistrationResponse;
import dev.keyward.opaque.ServerLoginState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Server CPU per protocol step; the client's messages are made in {@link #setUp()}.
 *
 * <p>Every benchmark starts from bytes, as the server does at its network edge: it parses the
 * client's message and the stored record on each call. Besides counting the parsing, this keeps
 * the numbers real: BouncyCastle caches multiplication tables on a point object, so a KE1 or
 * record object reused across calls would make the server look faster than for any real request.
 *
 * <p>Server work per complete login = {@link #loginStart()} + {@link #loginFinish()}. They are
 * measured apart on purpose: a valid KE3 answers one particular KE2, and KE2 carries fresh
 * server randomness (nonces, ephemeral key), so one call cannot be both a real startLogin and
 * followed by a valid precomputed KE3. Making the server's SecureRandom repeat itself would let
 * one method do both, but it would benchmark a server configuration nobody runs and leave out
 * the cost of drawing the randomness. Here both steps run exactly as in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ServerBenchmark {

    @Param({"RISTRETTO255_SHA512", "P256_SHA256", "RISTRETTO255_X25519_SHA512"})
    public OpaqueSuite suite;

    private Deployment deployment;
    private byte[] registrationRequest;
    private byte[] ke1;
    private byte[] record;
    private byte[] pendingState;
    private KE3 validKe3;
    private KE3 wrongKe3;

    @Setup
    public void setUp() throws Exception {
        deployment = new Deployment(suite);
        registrationRequest = deployment
                .client
                .startRegistration(Deployment.PASSWORD)
                .request()
                .toBytes();
        record = deployment.record.toBytes();
        OpaqueClient.LoginStart clientStart = deployment.client.startLogin(Deployment.PASSWORD);
        ke1 = clientStart.ke1().toBytes();
        OpaqueServer.ServerLoginStart serverStart =
                deployment.server.startLogin(deployment.record, clientStart.ke1(), Deployment.USER_ID, Identities.NONE);
        pendingState = serverStart.state().toBytes();
        validKe3 = deployment
                .client
                .finishLogin(clientStart.state(), serverStart.ke2(), Identities.NONE)
                .ke3();
        byte[] wrong = validKe3.toBytes();
        wrong[0] ^= 1;
        wrongKe3 = KE3.fromBytes(suite, wrong);
    }

    /** Registration: the server's only step (the record upload is parsed and stored, no crypto). */
    @Benchmark
    public RegistrationResponse registration() throws InvalidMessageException {
        return deployment.server.createRegistrationResponse(
                RegistrationRequest.fromBytes(suite, registrationRequest), Deployment.USER_ID);
    }

    /** Login, known user: KE1 in, KE2 and the pending state out. */
    @Benchmark
    public OpaqueServer.ServerLoginStart loginStart() throws InvalidMessageException {
        return deployment.server.startLogin(
                RegistrationRecord.fromBytes(suite, record),
                KE1.fromBytes(suite, ke1),
                Deployment.USER_ID,
                Identities.NONE);
    }

    /**
     * Login, valid KE3. finishLogin destroys its state, so each call restores a copy from bytes,
     * as a clustered deployment restores it from its session store.
     */
    @Benchmark
    public byte[] loginFinish() throws InvalidMessageException, AuthenticationException {
        return deployment.server.finishLogin(ServerLoginState.fromBytes(suite, pendingState), validKe3);
    }

    /** Login, wrong password: the failure every rejected KE3 takes, unknown users' included. */
    @Benchmark
    public boolean loginFinishRejected() throws InvalidMessageException {
        try {
            deployment.server.finishLogin(ServerLoginState.fromBytes(suite, pendingState), wrongKe3);
            return true;
        } catch (AuthenticationException expected) {
            return false;
        }
    }

    /** Login, unknown user: the fake-record path (RFC 9807 section 6.3.2.2). */
    @Benchmark
    public OpaqueServer.ServerLoginStart unknownUserLoginStart() throws InvalidMessageException {
        return deployment.server.startLogin(
                null, KE1.fromBytes(suite, ke1), Deployment.UNKNOWN_USER_ID, Identities.NONE);
    }
}
