package dev.keyward.opaque;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 9380 section 5.3.1 expand_message_xmd, including the oversize-DST rule of 5.3.3. */
final class ExpandMessageXmd {
    private static final byte[] OVERSIZE_DST_PREFIX = Bytes.ascii("H2C-OVERSIZE-DST-");

    private final String hashAlgorithm;
    private final int outputLength; // b_in_bytes
    private final int blockLength; // s_in_bytes

    private ExpandMessageXmd(String hashAlgorithm, int outputLength, int blockLength) {
        this.hashAlgorithm = hashAlgorithm;
        this.outputLength = outputLength;
        this.blockLength = blockLength;
    }

    static final ExpandMessageXmd SHA256 = new ExpandMessageXmd("SHA-256", 32, 64);
    static final ExpandMessageXmd SHA512 = new ExpandMessageXmd("SHA-512", 64, 128);

    byte[] expand(byte[] msg, byte[] dst, int lenInBytes) {
        int ell = (lenInBytes + outputLength - 1) / outputLength;
        if (ell > 255 || lenInBytes > 65535 || lenInBytes <= 0) {
            throw new IllegalArgumentException("expand_message_xmd: requested length out of range");
        }
        byte[] dstPrime = dstPrime(dst);
        MessageDigest h = digest();
        byte[] msgPrime = msgPrime(msg, lenInBytes, dstPrime);
        byte[] b0 = h.digest(msgPrime);
        Bytes.wipe(msgPrime); // it holds a copy of msg, which may be the password

        byte[] out = new byte[lenInBytes];
        byte[] bi = new byte[outputLength];
        for (int i = 1; i <= ell; i++) {
            byte[] chained = new byte[outputLength];
            for (int j = 0; j < outputLength; j++) {
                chained[j] = (byte) (b0[j] ^ (i == 1 ? 0 : bi[j]));
            }
            h.update(chained);
            h.update((byte) i);
            h.update(dstPrime);
            bi = h.digest();
            int off = (i - 1) * outputLength;
            System.arraycopy(bi, 0, out, off, Math.min(outputLength, lenInBytes - off));
        }
        return out;
    }

    /** DST_prime = DST || I2OSP(len(DST), 1), after hashing an oversize DST down. */
    byte[] dstPrime(byte[] dst) {
        if (dst.length > 255) {
            MessageDigest h = digest();
            h.update(OVERSIZE_DST_PREFIX);
            h.update(dst);
            dst = h.digest();
        }
        return Bytes.concat(dst, new byte[] {(byte) dst.length});
    }

    /** msg_prime = Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime; b_0 = H(msg_prime). */
    byte[] msgPrime(byte[] msg, int lenInBytes, byte[] dstPrime) {
        return Bytes.concat(new byte[blockLength], msg, Bytes.u16(lenInBytes), new byte[1], dstPrime);
    }

    private MessageDigest digest() {
        try {
            return MessageDigest.getInstance(hashAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hashAlgorithm + " is required by every Java runtime", e);
        }
    }
}
