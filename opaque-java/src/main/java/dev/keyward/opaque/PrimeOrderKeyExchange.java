package dev.keyward.opaque;

/**
 * 3DH over the OPRF's own prime-order group (ristretto255 or P-256): key pairs come from the
 * OPRF's DeriveKeyPair with the info "OPAQUE-DeriveDiffieHellmanKeyPair" (RFC 9807 6.4.1).
 */
final class PrimeOrderKeyExchange implements KeyExchangeGroup {
    private static final byte[] DH_KEYPAIR_INFO = Bytes.ascii("OPAQUE-DeriveDiffieHellmanKeyPair");

    private final PrimeOrderGroup group;
    private final Oprf oprf;

    PrimeOrderKeyExchange(OpaqueSuite suite) {
        this.group = suite.group();
        this.oprf = new Oprf(suite);
    }

    private record ElementKey(PrimeOrderGroup.Element element) implements PublicKey {
        @Override
        public byte[] encode() {
            return element.encode();
        }
    }

    @Override
    public int publicKeyLength() {
        return group.elementLength();
    }

    @Override
    public int privateKeyLength() {
        return group.scalarLength();
    }

    @Override
    public byte[] derivePrivateKey(byte[] seed) {
        return oprf.deriveKeyPair(seed, DH_KEYPAIR_INFO);
    }

    @Override
    public PublicKey publicKey(byte[] privateKey) {
        return new ElementKey(group.multiplyGenerator(privateKey));
    }

    @Override
    public PublicKey decodePublicKey(byte[] encoded) throws InvalidMessageException {
        return new ElementKey(group.decodeElement(encoded));
    }

    @Override
    public void checkPrivateKey(byte[] privateKey) throws InvalidMessageException {
        group.checkScalar(privateKey);
    }

    @Override
    public byte[] diffieHellman(byte[] privateKey, PublicKey peer) {
        return ((ElementKey) peer).element().multiply(privateKey).encode();
    }
}
