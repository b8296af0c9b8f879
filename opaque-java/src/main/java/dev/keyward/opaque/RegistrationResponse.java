package dev.keyward.opaque;

/** RFC 9807 RegistrationResponse: the evaluated element and the server's public key. */
public final class RegistrationResponse {
    private final OpaqueSuite suite;
    private final PrimeOrderGroup.Element evaluatedMessage;
    private final byte[] serverPublicKey;

    RegistrationResponse(OpaqueSuite suite, PrimeOrderGroup.Element evaluatedMessage, byte[] serverPublicKey) {
        this.suite = suite;
        this.evaluatedMessage = evaluatedMessage;
        this.serverPublicKey = serverPublicKey;
    }

    /**
     * Parses a registration response.
     *
     * @param suite the suite the message belongs to
     * @param bytes exactly {@link OpaqueSuite#registrationResponseLength()} bytes
     * @return the parsed response
     * @throws InvalidMessageException on a wrong length or an invalid or identity element
     */
    public static RegistrationResponse fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(
                suite, bytes, suite == null ? 0 : suite.registrationResponseLength(), "registration response");
        PrimeOrderGroup.Element evaluated = r.element();
        KeyExchangeGroup.PublicKey serverKey = r.publicKey();
        return new RegistrationResponse(suite, evaluated, serverKey.encode());
    }

    /** @return the RFC 9807 serialization */
    public byte[] toBytes() {
        return Bytes.concat(evaluatedMessage.encode(), serverPublicKey);
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    PrimeOrderGroup.Element evaluatedMessage() {
        return evaluatedMessage;
    }

    byte[] serverPublicKey() {
        return serverPublicKey;
    }
}
