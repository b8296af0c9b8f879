package dev.keyward.opaque;

/**
 * RFC 9807 RegistrationRecord (the client's upload): what the server stores for a user. It is
 * not a password equivalent: without the server's OPRF seed it cannot be attacked offline.
 */
public final class RegistrationRecord {
    private final OpaqueSuite suite;
    private final KeyExchangeGroup.PublicKey clientPublicKey;
    private final byte[] maskingKey;
    private final byte[] envelope;

    RegistrationRecord(
            OpaqueSuite suite, KeyExchangeGroup.PublicKey clientPublicKey, byte[] maskingKey, byte[] envelope) {
        this.suite = suite;
        this.clientPublicKey = clientPublicKey;
        this.maskingKey = maskingKey;
        this.envelope = envelope;
    }

    /**
     * Parses a registration record (the client's registration upload, or a stored record).
     *
     * @param suite the suite the record belongs to
     * @param bytes exactly {@link OpaqueSuite#registrationRecordLength()} bytes
     * @return the parsed record
     * @throws InvalidMessageException on a wrong length or an invalid client public key
     */
    public static RegistrationRecord fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(
                suite, bytes, suite == null ? 0 : suite.registrationRecordLength(), "registration record");
        KeyExchangeGroup.PublicKey clientPublicKey = r.publicKey();
        byte[] maskingKey = r.bytes(suite.hashLength());
        byte[] envelope = r.bytes(suite.envelopeLength());
        return new RegistrationRecord(suite, clientPublicKey, maskingKey, envelope);
    }

    /** @return the RFC 9807 serialization (client public key, masking key, envelope) */
    public byte[] toBytes() {
        return Bytes.concat(clientPublicKey.encode(), maskingKey, envelope);
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    KeyExchangeGroup.PublicKey clientPublicKey() {
        return clientPublicKey;
    }

    byte[] maskingKey() {
        return maskingKey;
    }

    byte[] envelope() {
        return envelope;
    }
}
