package dev.keyward.opaque;

/** RFC 9497 OPRF, mode 0x00 (base mode), for one suite. */
final class Oprf {
    private static final byte[] FINALIZE = Bytes.ascii("Finalize");

    private final OpaqueSuite suite;
    private final PrimeOrderGroup group;
    private final byte[] hashToGroupDst;
    private final byte[] deriveKeyPairDst;

    Oprf(OpaqueSuite suite) {
        this.suite = suite;
        this.group = suite.group();
        byte[] context =
                Bytes.concat(Bytes.ascii("OPRFV1-"), new byte[] {0x00}, Bytes.ascii("-" + suite.oprfIdentifier()));
        this.hashToGroupDst = Bytes.concat(Bytes.ascii("HashToGroup-"), context);
        this.deriveKeyPairDst = Bytes.concat(Bytes.ascii("DeriveKeyPair"), context);
    }

    /** Blind(input, blind): the blinded element sent to the server. */
    PrimeOrderGroup.Element blind(byte[] input, byte[] blind) throws InvalidMessageException {
        PrimeOrderGroup.Element inputElement = group.hashToGroup(input, hashToGroupDst);
        if (inputElement.isIdentity()) {
            // RFC 9497 InvalidInputError: astronomically unlikely, but must not be sent.
            throw new InvalidMessageException("input maps to the identity element");
        }
        return inputElement.multiply(blind);
    }

    PrimeOrderGroup.Element blindEvaluate(byte[] privateKey, PrimeOrderGroup.Element blinded) {
        return blinded.multiply(privateKey);
    }

    /** Finalize(input, blind, evaluatedElement). */
    byte[] finalize(byte[] input, byte[] blind, PrimeOrderGroup.Element evaluated) {
        byte[] inverse = group.invertScalar(blind);
        byte[] unblinded = evaluated.multiply(inverse).encode();
        Bytes.wipe(inverse);
        return suite.hash(Bytes.lengthPrefixed16(input), Bytes.lengthPrefixed16(unblinded), FINALIZE);
    }

    /** DeriveKeyPair(seed, info): returns the private scalar (public key is scalar * G). */
    byte[] deriveKeyPair(byte[] seed, byte[] info) {
        byte[] deriveInput = Bytes.concat(seed, Bytes.lengthPrefixed16(info));
        try {
            for (int counter = 0; counter < 256; counter++) {
                byte[] sk =
                        group.hashToScalar(Bytes.concat(deriveInput, new byte[] {(byte) counter}), deriveKeyPairDst);
                if (!isZero(sk)) {
                    return sk;
                }
            }
        } finally {
            Bytes.wipe(deriveInput);
        }
        throw new IllegalStateException("DeriveKeyPairError"); // probability ~2^-8000
    }

    private static boolean isZero(byte[] scalar) {
        int acc = 0;
        for (byte b : scalar) {
            acc |= b;
        }
        return acc == 0;
    }
}
