package dev.keyward.opaque;

/** Strict parser: the input must have exactly the expected length, fields are read in order. */
final class MessageReader {
    private final OpaqueSuite suite;
    private final byte[] data;
    private int offset;

    private MessageReader(OpaqueSuite suite, byte[] data) {
        this.suite = suite;
        this.data = data;
    }

    static MessageReader of(OpaqueSuite suite, byte[] data, int expectedLength, String what)
            throws InvalidMessageException {
        if (suite == null) {
            throw new InvalidMessageException("no OPAQUE suite given");
        }
        if (data == null || data.length != expectedLength) {
            throw new InvalidMessageException(what + ": expected " + expectedLength + " bytes");
        }
        return new MessageReader(suite, data);
    }

    byte[] bytes(int length) {
        byte[] out = Bytes.slice(data, offset, length);
        offset += length;
        return out;
    }

    /** An OPRF group element (blinded or evaluated message). */
    PrimeOrderGroup.Element element() throws InvalidMessageException {
        return suite.group().decodeElement(bytes(suite.elementLength()));
    }

    /** A key-exchange public key. */
    KeyExchangeGroup.PublicKey publicKey() throws InvalidMessageException {
        return suite.keyExchange().decodePublicKey(bytes(suite.publicKeyLength()));
    }
}
