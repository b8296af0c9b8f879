package dev.keyward.vault;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An address range in CIDR form ({@code 10.1.0.0/16}, {@code fd00::/8}, or one address). Parsing
 * takes literals only, so a range never causes a DNS lookup.
 */
public final class IpRange {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * @param cidr an IPv4 or IPv6 literal, optionally with {@code /prefix}
     * @throws InvalidInputException if it is not one, or has host bits set below the prefix
     */
    public static IpRange parse(String cidr) throws InvalidInputException {
        String text = cidr == null ? "" : cidr.trim();
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        // IPv4 in full dotted-quad only: InetAddress would read "10.0.0" as 10.0.0.0, not what anyone means
        boolean v4 = DOTTED_QUAD.matcher(literal).matches();
        if (!LITERAL.matcher(literal).matches() || !(v4 || literal.contains(":"))) {
            throw new InvalidInputException("proxy.privateRanges holds CIDR ranges of IP literals, e.g. 10.1.0.0/16");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new InvalidInputException("proxy.privateRanges holds CIDR ranges of IP literals, e.g. 10.1.0.0/16");
        }
        if (literal.contains(":") && address.length == 4) {
            // Java turns ::ffff:a.b.c.d into an IPv4 address; a range must say which family it means.
            throw new InvalidInputException("proxy.privateRanges: write IPv4-mapped ranges as IPv4");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new InvalidInputException("proxy.privateRanges: prefix length must be 0 to " + bits);
            }
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new InvalidInputException("proxy.privateRanges: address has bits set below its prefix length");
            }
        }
        return new IpRange(address, prefix);
    }

    /** @return whether {@code address} lies in this range (same family only) */
    public boolean contains(InetAddress address) {
        return matches(address.getAddress());
    }

    /** @return whether every address of {@code other} lies in this range (same family only) */
    public boolean encloses(IpRange other) {
        return other.prefixLength >= prefixLength && matches(other.network);
    }

    /** @return whether the two ranges share an address; CIDR ranges that do are nested */
    public boolean overlaps(IpRange other) {
        return encloses(other) || other.encloses(this);
    }

    /** @return the prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6) */
    public int prefixLength() {
        return prefixLength;
    }

    /** @return whether this is an IPv4 range */
    public boolean isIpv4() {
        return network.length == 4;
    }

    private boolean matches(byte[] a) {
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
