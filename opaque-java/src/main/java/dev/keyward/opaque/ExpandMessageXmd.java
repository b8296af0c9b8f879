package dev.keyward.opaque;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 9380 section 5.3.1 expand_message_xmd, including the oversize-DST rule of 5.3.3. */
final class ExpandMessageXmd {
    private static final byte[] OVERSIZE_DST_PREFIX = Bytes.ascii("H2C-OVERSIZE-DST-");

    private final String hashAlgorithm;
    private final int outputLength; // b_in_bytes
    private final int blockLength;  // s_in_bytes

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
        if (dst.length > 255) {
            MessageDigest h = digest();
            h.update(OVERSIZE_DST_PREFIX);
            h.update(dst);
            dst = h.digest();
        }
        byte[] dstPrime = Bytes.concat(dst, new byte[] {(byte) dst.length});

        MessageDigest h = digest();
        h.update(new byte[blockLength]);                 // Z_pad
        h.update(msg);
        h.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
        h.update(dstPrime);
        byte[] b0 = h.digest();

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

    private MessageDigest digest() {
        try {
            return MessageDigest.getInstance(hashAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hashAlgorithm + " is required by every Java runtime", e);
        }
    }
}
