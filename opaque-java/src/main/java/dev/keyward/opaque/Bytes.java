package dev.keyward.opaque;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/** Byte helpers shared by the protocol code. */
final class Bytes {
    private Bytes() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** I2OSP(value, 2). */
    static byte[] u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("length does not fit in two bytes");
        }
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    /** I2OSP(len(data), 2) || data. */
    static byte[] lengthPrefixed16(byte[] data) {
        return concat(u16(data.length), data);
    }

    static byte[] xor(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("xor of unequal lengths");
        }
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /** Constant-time equality for secret values (MACs, keys). */
    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static byte[] slice(byte[] src, int from, int length) {
        return Arrays.copyOfRange(src, from, from + length);
    }

    static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }
}
