package dev.keyward.opaque;

/**
 * RFC 9807 KE2: credential response (evaluated element, masking nonce, masked response), server
 * nonce, server ephemeral public key and server MAC.
 */
public final class KE2 {
    private final OpaqueSuite suite;
    private final PrimeOrderGroup.Element evaluatedMessage;
    private final byte[] maskingNonce;
    private final byte[] maskedResponse;
    private final byte[] serverNonce;
    private final KeyExchangeGroup.PublicKey serverPublicKeyshare;
    private final byte[] serverMac;

    KE2(
            OpaqueSuite suite,
            PrimeOrderGroup.Element evaluatedMessage,
            byte[] maskingNonce,
            byte[] maskedResponse,
            byte[] serverNonce,
            KeyExchangeGroup.PublicKey serverPublicKeyshare,
            byte[] serverMac) {
        this.suite = suite;
        this.evaluatedMessage = evaluatedMessage;
        this.maskingNonce = maskingNonce;
        this.maskedResponse = maskedResponse;
        this.serverNonce = serverNonce;
        this.serverPublicKeyshare = serverPublicKeyshare;
        this.serverMac = serverMac;
    }

    /**
     * Parses a KE2 message.
     *
     * @param suite the suite the message belongs to
     * @param bytes exactly {@link OpaqueSuite#ke2Length()} bytes
     * @return the parsed message
     * @throws InvalidMessageException on a wrong length or an invalid or identity element
     */
    public static KE2 fromBytes(OpaqueSuite suite, byte[] bytes) throws InvalidMessageException {
        MessageReader r = MessageReader.of(suite, bytes, suite == null ? 0 : suite.ke2Length(), "KE2");
        PrimeOrderGroup.Element evaluated = r.element();
        byte[] maskingNonce = r.bytes(OpaqueSuite.NONCE_LENGTH);
        byte[] masked = r.bytes(suite.maskedResponseLength());
        byte[] serverNonce = r.bytes(OpaqueSuite.NONCE_LENGTH);
        KeyExchangeGroup.PublicKey keyshare = r.publicKey();
        byte[] mac = r.bytes(suite.hashLength());
        return new KE2(suite, evaluated, maskingNonce, masked, serverNonce, keyshare, mac);
    }

    /** @return the RFC 9807 serialization */
    public byte[] toBytes() {
        return Bytes.concat(credentialResponse(), serverNonce, serverPublicKeyshare.encode(), serverMac);
    }

    /** @return the suite */
    public OpaqueSuite suite() {
        return suite;
    }

    byte[] credentialResponse() {
        return Bytes.concat(evaluatedMessage.encode(), maskingNonce, maskedResponse);
    }

    PrimeOrderGroup.Element evaluatedMessage() {
        return evaluatedMessage;
    }

    byte[] maskingNonce() {
        return maskingNonce;
    }

    byte[] maskedResponse() {
        return maskedResponse;
    }

    byte[] serverNonce() {
        return serverNonce;
    }

    KeyExchangeGroup.PublicKey serverPublicKeyshare() {
        return serverPublicKeyshare;
    }

    byte[] serverMac() {
        return serverMac;
    }
}
