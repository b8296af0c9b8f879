package dev.keyward.opaque;

/**
 * What both sides of an OPAQUE deployment must agree on: the suite, the application context
 * (bound into every handshake transcript; empty for @serenity-kit/opaque, "OPAQUE-POC" in the
 * RFC vectors) and the client's key stretching function.
 *
 * @param suite the cipher suite
 * @param context the context string, at most 65535 bytes
 * @param ksf the key stretching function the client runs (ignored by the server)
 */
public record OpaqueConfiguration(OpaqueSuite suite, byte[] context, Ksf ksf) {

    /**
     * Validates and copies.
     *
     * @param suite the cipher suite
     * @param context the context string, at most 65535 bytes (may be empty)
     * @param ksf the key stretching function the client runs
     */
    public OpaqueConfiguration {
        if (suite == null || context == null || ksf == null) {
            throw new IllegalArgumentException("suite, context and ksf are required");
        }
        if (context.length > 0xFFFF) {
            throw new IllegalArgumentException("context must be at most 65535 bytes");
        }
        context = OpaqueSuite.copy(context);
    }

    /**
     * The configuration that interoperates with @serenity-kit/opaque 1.1.0 (and opaque-ke 4):
     * ristretto255-SHA512, empty context, Argon2id t=3 m=64 MiB p=4.
     *
     * @return the configuration
     */
    public static OpaqueConfiguration serenityDefault() {
        return new OpaqueConfiguration(OpaqueSuite.RISTRETTO255_SHA512, new byte[0], Argon2idKsf.memoryConstrained());
    }

    /** @return a copy of the context string */
    @Override
    public byte[] context() {
        return OpaqueSuite.copy(context);
    }

    byte[] contextUnsafe() {
        return context;
    }
}
