package dev.keyward.opaque;

/** RFC 9807 RegistrationRequest: the client's blinded password element. */
public final class RegistrationRequest {
    private final OpaqueSuite suite;
    private final PrimeOrderGroup.Element blindedMessage;

    RegistrationRequest(OpaqueSuite suite, PrimeOrderGroup.Element blindedMessage) {
        this.suite = suite;
        this.blindedMessage = blindedMessage;
    }

    /**
     * Parses a registration request.
     *
     * @param suite the suite the message belongs to
     * @param bytes exactly {@link OpaqueSuite#registrationRequestLength()} bytes
     * @return the parsed request
     * @throws InvalidMessageException on a wrong length or an invalid or identity element
     */
    public static RegistrationRequest fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(
                suite, bytes, suite == null ? 0 : suite.registrationRequestLength(), "registration request");
        return new RegistrationRequest(suite, r.element());
    }

    /** @return the RFC 9807 serialization */
    public byte[] toBytes() {
        return blindedMessage.encode();
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    PrimeOrderGroup.Element blindedMessage() {
        return blindedMessage;
    }
}
