package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The two outcomes a fuzz target tolerates, as helpers. Everything else a call throws escapes
 * the target, and Jazzer reports it as a finding (in regression mode: a failed test).
 */
final class FuzzSupport {
    private FuzzSupport() {}

    /** A parse whose only allowed failure is the typed rejection. */
    @FunctionalInterface
    interface Parse<T> {
        T run() throws InvalidMessageException;
    }

    /** A protocol step whose only allowed failure is a MAC that does not verify. */
    @FunctionalInterface
    interface Authenticate<T> {
        T run() throws AuthenticationException;
    }

    /** @return the parsed value, or null if the input was rejected with InvalidMessageException */
    static <T> T parsedOrNull(Parse<T> parse) {
        try {
            return parse.run();
        } catch (InvalidMessageException rejected) {
            return null;
        }
    }

    /** @return the step's result, or null if it failed with AuthenticationException */
    static <T> T authenticatedOrNull(Authenticate<T> step) {
        try {
            return step.run();
        } catch (AuthenticationException failed) {
            return null;
        }
    }

    /** Accepted input must be the one canonical encoding: re-serializing gives the same bytes. */
    static void assertCanonical(byte[] input, byte[] reserialized) {
        assertArrayEquals(input, reserialized, "accepted a non-canonical encoding");
    }
}
