package dev.keyward.opaque.bench;

import dev.keyward.vault.InvalidKeyringException;
import dev.keyward.vault.SecretBinding;
import dev.keyward.vault.SecretEnvelope;
import dev.keyward.vault.UndecryptableSecretException;
import dev.keyward.vault.VaultKeyring;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The credential vault's envelope per operation (seal = encrypt under the active key, open =
 * decrypt and verify for the row's binding), next to bare JCE AES-256-GCM on the same bytes: the
 * difference is what the envelope (key lookup, header, associated data) costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class VaultEnvelopeBenchmark {
    /** A typical API token, and the largest secret the vault accepts. */
    @Param({"64", "4096"})
    public int size;

    private SecretEnvelope envelope;
    private SecretBinding binding;
    private byte[] plaintext;
    private byte[] sealed;
    private SecretKeySpec key;
    private byte[] nonce;
    private final SecureRandom random = new SecureRandom();

    @Setup
    public void setUp() throws InvalidKeyringException {
        byte[] k = new byte[32];
        random.nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        envelope = new SecretEnvelope(
                VaultKeyring.parse("bench:" + Base64.getEncoder().encodeToString(k), null), random);
        binding = SecretBinding.user(
                "0b7a3c1e-5f5e-4bd2-9a43-8f7d0a6c2e11", "7d1f0c9a-2b4e-4f6a-8c3d-5e9b1a2f4c6d", "media");
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        sealed = envelope.seal(binding, plaintext);
        nonce = new byte[12];
    }

    @Benchmark
    public byte[] seal() {
        return envelope.seal(binding, plaintext);
    }

    @Benchmark
    public byte[] open() throws UndecryptableSecretException {
        return envelope.open(binding, sealed);
    }

    /** Baseline: AES-256-GCM with a fresh random nonce, no header, no associated data. */
    @Benchmark
    public byte[] bareAesGcmEncrypt() throws GeneralSecurityException {
        random.nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return gcm.doFinal(plaintext);
    }
}
