package dev.keyward.opaque;

/** RFC 9807 KE1: credential request, client nonce and client ephemeral public key. */
public final class KE1 {
    private final OpaqueSuite suite;
    private final PrimeOrderGroup.Element blindedMessage;
    private final byte[] clientNonce;
    private final KeyExchangeGroup.PublicKey clientPublicKeyshare;

    KE1(
            OpaqueSuite suite,
            PrimeOrderGroup.Element blindedMessage,
            byte[] clientNonce,
            KeyExchangeGroup.PublicKey clientPublicKeyshare) {
        this.suite = suite;
        this.blindedMessage = blindedMessage;
        this.clientNonce = clientNonce;
        this.clientPublicKeyshare = clientPublicKeyshare;
    }

    /**
     * Parses a KE1 message.
     *
     * @param suite the suite the message belongs to
     * @param bytes exactly {@link OpaqueSuite#ke1Length()} bytes
     * @return the parsed message
     * @throws InvalidMessageException on a wrong length or an invalid or identity element
     */
    public static KE1 fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(suite, bytes, suite == null ? 0 : suite.ke1Length(), "KE1");
        PrimeOrderGroup.Element blinded = r.element();
        byte[] nonce = r.bytes(OpaqueSuite.NONCE_LENGTH);
        KeyExchangeGroup.PublicKey keyshare = r.publicKey();
        return new KE1(suite, blinded, nonce, keyshare);
    }

    /** @return the RFC 9807 serialization */
    public byte[] toBytes() {
        return Bytes.concat(blindedMessage.encode(), clientNonce, clientPublicKeyshare.encode());
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    PrimeOrderGroup.Element blindedMessage() {
        return blindedMessage;
    }

    KeyExchangeGroup.PublicKey clientPublicKeyshare() {
        return clientPublicKeyshare;
    }
}
