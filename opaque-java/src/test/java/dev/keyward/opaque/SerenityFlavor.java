package dev.keyward.opaque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The npm package that speaks one of our suites, and the matching configurations on both sides. */
enum SerenityFlavor {
    RISTRETTO255("@serenity-kit/opaque", OpaqueSuite.RISTRETTO255_SHA512),
    P256("@serenity-kit/opaque-p256", OpaqueSuite.P256_SHA256);

    /** Argon2id t=1, m=256 KiB, p=1: real Argon2id, cheap enough to run many handshakes per test. */
    private static final Argon2idKsf CHEAP = new Argon2idKsf(1, 256, 1);

    /** Which key stretching both clients use: the package's default, or the cheap custom one. */
    enum Stretching {
        CHEAP,
        DEFAULT
    }

    final String packageName;
    final OpaqueSuite suite;

    SerenityFlavor(String packageName, OpaqueSuite suite) {
        this.packageName = packageName;
        this.suite = suite;
    }

    /** Our configuration: the library's empty context and the same Argon2id as the npm client. */
    OpaqueConfiguration javaConfig(Stretching stretching) {
        if (stretching == Stretching.CHEAP) {
            return new OpaqueConfiguration(suite, new byte[0], CHEAP);
        }
        return this == RISTRETTO255
                ? OpaqueConfiguration.serenityDefault()
                : new OpaqueConfiguration(suite, new byte[0], Argon2idKsf.memoryConstrained());
    }

    /**
     * The npm client's {@code keyStretching} option, or null to omit it, so that DEFAULT
     * exercises the package's own default rather than our idea of it.
     */
    JsonNode serenityKeyStretching(Stretching stretching) {
        if (stretching == Stretching.DEFAULT) {
            return null;
        }
        ObjectNode option = new ObjectMapper().createObjectNode();
        option.putObject("argon2id-custom")
                .put("iterations", CHEAP.iterations())
                .put("memory", CHEAP.memoryKiB())
                .put("parallelism", CHEAP.parallelism());
        return option;
    }
}
