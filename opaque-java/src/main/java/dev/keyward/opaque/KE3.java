package dev.keyward.opaque;

/** RFC 9807 KE3: the client's MAC over the handshake. */
public final class KE3 {
    private final OpaqueSuite suite;
    private final byte[] clientMac;

    KE3(OpaqueSuite suite, byte[] clientMac) {
        this.suite = suite;
        this.clientMac = clientMac;
    }

    /**
     * Parses a KE3 message.
     *
     * @param suite the suite the message belongs to
     * @param bytes exactly {@link OpaqueSuite#ke3Length()} bytes
     * @return the parsed message
     * @throws InvalidMessageException on a wrong length
     */
    public static KE3 fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(suite, bytes, suite == null ? 0 : suite.ke3Length(), "KE3");
        return new KE3(suite, r.bytes(suite.hashLength()));
    }

    /** @return the RFC 9807 serialization */
    public byte[] toBytes() {
        return OpaqueSuite.copy(clientMac);
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    byte[] clientMac() {
        return clientMac;
    }
}
