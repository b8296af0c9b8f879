package dev.keyward.opaque;

/**
 * The Diffie-Hellman group of the 3DH key exchange (RFC 9807 section 6.4.1): static and
 * ephemeral key pairs, and DH. It is separate from the OPRF group because RFC 9807 allows them
 * to differ (ristretto255 OPRF with an X25519 key exchange).
 */
interface KeyExchangeGroup {

    /** Npk: length of an encoded public key. */
    int publicKeyLength();

    /** Nsk: length of a private key. */
    int privateKeyLength();

    /** RFC 9807 DeriveDiffieHellmanKeyPair(seed): the private key. */
    byte[] derivePrivateKey(byte[] seed);

    /** The public key of a private key. */
    PublicKey publicKey(byte[] privateKey);

    /** Strictly decodes a peer's public key: wrong length, non-canonical, invalid or weak keys fail. */
    PublicKey decodePublicKey(byte[] encoded) throws InvalidMessageException;

    /** Rejects a private key that is malformed or unusable (wrong length, zero). */
    void checkPrivateKey(byte[] privateKey) throws InvalidMessageException;

    /** RFC 9807 DiffieHellman(k, B): the encoded shared element. */
    byte[] diffieHellman(byte[] privateKey, PublicKey peer);

    /** A validated public key; immutable. */
    interface PublicKey {
        /** @return the encoding of RFC 9807 SerializeElement */
        byte[] encode();
    }
}
