package dev.keyward.opaque.bench;

import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueSuite;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Client CPU per login, for context next to {@link ServerBenchmark}, with {@code Ksf.IDENTITY}:
 * a real client adds its password hashing (Argon2id, typically hundreds of milliseconds) on top.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClientBenchmark {

    /** The deployment per suite, made once per run. */
    @State(Scope.Benchmark)
    public static class Fixture {
        @Param({"RISTRETTO255_SHA512", "P256_SHA256", "RISTRETTO255_X25519_SHA512"})
        public OpaqueSuite suite;

        Deployment deployment;

        @Setup
        public void setUp() {
            deployment = new Deployment(suite);
        }
    }

    /**
     * finishLogin destroys its state and needs the server's KE2 for that very state, so every
     * call gets a fresh pair, made outside the measured time. Level.Invocation costs a timestamp
     * pair per call (tens of nanoseconds), negligible against a call of hundreds of microseconds.
     */
    @State(Scope.Thread)
    public static class PendingLogin {
        OpaqueClient.LoginState state;
        byte[] ke2;

        @Setup(Level.Invocation)
        public void prepare(Fixture fixture) {
            Deployment d = fixture.deployment;
            OpaqueClient.LoginStart start = d.client.startLogin(Deployment.PASSWORD);
            state = start.state();
            ke2 = d.server
                    .startLogin(d.record, start.ke1(), Deployment.USER_ID, Identities.NONE)
                    .ke2()
                    .toBytes();
        }
    }

    /** KE1: blind the password (hash-to-group), make the ephemeral key share. */
    @Benchmark
    public OpaqueClient.LoginStart loginStart(Fixture fixture) {
        return fixture.deployment.client.startLogin(Deployment.PASSWORD);
    }

    /** KE2 bytes in, KE3 out: parse, unblind, open the envelope, authenticate the server. */
    @Benchmark
    public OpaqueClient.LoginResult loginFinish(Fixture fixture, PendingLogin login)
            throws InvalidMessageException, AuthenticationException {
        KE2 ke2 = KE2.fromBytes(fixture.suite, login.ke2);
        return fixture.deployment.client.finishLogin(login.state, ke2, Identities.NONE);
    }
}
