package dev.keyward.opaque;

/**
 * Key stretching function of RFC 9807 section 4.3, run by the client only: it makes every
 * password guess expensive for anyone who holds a record and the server's OPRF key.
 */
@FunctionalInterface
public interface Ksf {
    /** The identity function, as in the RFC test vectors. Only for tests. */
    Ksf IDENTITY = input -> OpaqueSuite.copy(input);

    /**
     * Stretches the OPRF output.
     *
     * @param input the OPRF output (Nh bytes)
     * @return the stretched value, Nh bytes
     */
    byte[] stretch(byte[] input);
}
