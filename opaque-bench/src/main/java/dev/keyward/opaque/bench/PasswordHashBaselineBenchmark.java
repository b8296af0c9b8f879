package dev.keyward.opaque.bench;

import java.nio.charset.StandardCharsets;
import java.security.spec.KeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The server CPU of Keycloak's own password check, run in the same JMH session as
 * {@link ServerBenchmark} so the two can be compared as a ratio. It reproduces the hash a
 * Keycloak 26 server computes per password login with its defaults: argon2id (version 1.3,
 * 5 iterations, 7168 KiB, parallelism 1, 32-byte output, 16-byte salt) on BouncyCastle, as in
 * non-FIPS mode; and PBKDF2-HMAC-SHA512 with 210,000 iterations, its FIPS-mode default.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PasswordHashBaselineBenchmark {
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Benchmark
    public byte[] keycloakDefaultArgon2id() {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(5)
                .withMemoryAsKB(7168)
                .withParallelism(1)
                .withSalt(SALT)
                .build());
        byte[] out = new byte[32];
        generator.generateBytes(PASSWORD, out);
        return out;
    }

    @Benchmark
    public byte[] keycloakFipsPbkdf2Sha512() throws Exception {
        KeySpec spec = new PBEKeySpec(PASSWORD, SALT, 210_000, 512);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(spec)
                .getEncoded();
    }
}
