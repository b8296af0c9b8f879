package dev.keyward.opaque;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (version 0x13) as the KSF, with the conventions of opaque-ke and
 * {@code @serenity-kit/opaque}: salt of 16 zero bytes, output as long as the input (Nh), no
 * secret and no associated data. The salt may be fixed because the input is already unique
 * per user and server (it is the OPRF output).
 *
 * @param iterations Argon2 time cost (t)
 * @param memoryKiB Argon2 memory cost in KiB (m)
 * @param parallelism Argon2 lanes (p)
 */
public record Argon2idKsf(int iterations, int memoryKiB, int parallelism) implements Ksf {
    private static final byte[] ZERO_SALT = new byte[16];

    /**
     * Validates the parameters.
     *
     * @param iterations Argon2 time cost (t), at least 1
     * @param memoryKiB Argon2 memory cost in KiB (m), at least 8 per lane
     * @param parallelism Argon2 lanes (p), at least 1
     */
    public Argon2idKsf {
        if (iterations < 1 || parallelism < 1 || memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("invalid Argon2id parameters");
        }
    }

    /** @return t=3, m=64 MiB, p=4: the {@code "memory-constrained"} default of @serenity-kit/opaque */
    public static Argon2idKsf memoryConstrained() {
        return new Argon2idKsf(3, 65536, 4);
    }

    /** @return t=1, m=2 GiB - 1 KiB, p=4: the {@code "rfc-recommended"} setting of @serenity-kit/opaque */
    public static Argon2idKsf rfcRecommended() {
        return new Argon2idKsf(1, (1 << 21) - 1, 4);
    }

    @Override
    public byte[] stretch(byte[] input) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(iterations)
                .withMemoryAsKB(memoryKiB)
                .withParallelism(parallelism)
                .withSalt(ZERO_SALT)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[input.length];
        generator.generateBytes(input, out);
        return out;
    }
}
