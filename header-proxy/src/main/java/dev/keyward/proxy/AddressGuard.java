package dev.keyward.proxy;

import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The SSRF guard's address rules: which resolved addresses the proxy may connect to. Public
 * unicast addresses pass; loopback, private, link-local (cloud metadata), CGNAT, multicast,
 * unspecified, documentation, benchmarking and reserved addresses do not, and neither do IPv6 forms
 * that carry one of those (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo). A provider can be
 * exempted from the rest within what the operator allows ({@link OperatorAllowance}); unspecified,
 * multicast and broadcast stay refused even then, because no upstream lives there.
 */
final class AddressGuard {
    /** Why an address is refused: names only a category, never the address (error bodies show it). */
    enum Category {
        UNSPECIFIED(false),
        LOOPBACK(true),
        PRIVATE(true),
        LINK_LOCAL(true),
        SHARED_CGNAT(true),
        MULTICAST(false),
        BROADCAST(false),
        DOCUMENTATION(true),
        BENCHMARKING(true),
        RESERVED(true),
        TRANSITION(true);

        /** Whether an admin's allowance can lift it. */
        final boolean exemptible;

        Category(boolean exemptible) {
            this.exemptible = exemptible;
        }
    }

    private AddressGuard() {}

    /** @return why {@code address} is not public, or empty for a public unicast address */
    static Optional<Category> classify(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == 4 ? classify4(a) : classify6(a);
    }

    /**
     * @param exempt whether a non-public address is lifted for this provider ({@link OperatorAllowance#lifts})
     * @return why the proxy must not connect to {@code address}, or empty if it may
     */
    static Optional<Category> refusal(InetAddress address, Predicate<InetAddress> exempt) {
        Optional<Category> category = classify(address);
        if (category.isEmpty() || !category.get().exemptible) {
            return category;
        }
        return exempt.test(address) ? Optional.empty() : category;
    }

    private static Optional<Category> classify4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        if (b0 == 0) {
            return Optional.of(Category.UNSPECIFIED); // 0.0.0.0/8: Linux connects 0.0.0.0 to itself
        }
        if (b0 == 127) {
            return Optional.of(Category.LOOPBACK);
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return Optional.of(Category.PRIVATE);
        }
        if (b0 == 169 && b1 == 254) {
            return Optional.of(Category.LINK_LOCAL);
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return Optional.of(Category.SHARED_CGNAT);
        }
        if ((b0 == 192 && b1 == 0 && b2 == 2)
                || (b0 == 198 && b1 == 51 && b2 == 100)
                || (b0 == 203 && b1 == 0 && b2 == 113)) {
            return Optional.of(Category.DOCUMENTATION);
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return Optional.of(Category.BENCHMARKING);
        }
        if ((b0 == 192 && b1 == 0 && b2 == 0) || (b0 == 192 && b1 == 88 && b2 == 99)) {
            return Optional.of(Category.RESERVED); // IETF protocol assignments; 6to4 relay anycast
        }
        if ((b0 & 0xf0) == 224) {
            return Optional.of(Category.MULTICAST);
        }
        if (b0 == 255 && b1 == 255 && b2 == 255 && (a[3] & 0xff) == 255) {
            return Optional.of(Category.BROADCAST);
        }
        if ((b0 & 0xf0) == 240) {
            return Optional.of(Category.RESERVED);
        }
        return Optional.empty();
    }

    private static Optional<Category> classify6(byte[] a) {
        if (isZero(a, 0, 10)) {
            if ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
                return classify4(tail(a, 12)); // ::ffff:a.b.c.d, IPv4-mapped
            }
            if (isZero(a, 10, 16)) {
                return Optional.of(Category.UNSPECIFIED);
            }
            if (isZero(a, 10, 15) && a[15] == 1) {
                return Optional.of(Category.LOOPBACK);
            }
            if (isZero(a, 10, 12)) {
                // ::a.b.c.d (IPv4-compatible, deprecated): refused whatever it embeds.
                return Optional.of(classify4(tail(a, 12)).orElse(Category.TRANSITION));
            }
        }
        int w0 = word(a, 0);
        int w1 = word(a, 2);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            if (isZero(a, 4, 12)) {
                return Optional.of(classify4(tail(a, 12)).orElse(Category.TRANSITION)); // NAT64 64:ff9b::/96
            }
            return Optional.of(Category.TRANSITION); // 64:ff9b:1::/48, local-use NAT64
        }
        if (w0 == 0x2002) {
            return Optional.of(classify4(new byte[] {a[2], a[3], a[4], a[5]}).orElse(Category.TRANSITION)); // 6to4
        }
        if (w0 == 0x2001 && (w1 & 0xfe00) == 0) {
            return Optional.of(Category.TRANSITION); // 2001::/23: Teredo, ORCHID, benchmarking, ...
        }
        if (w0 == 0x2001 && w1 == 0x0db8 || (w0 & 0xfff0) == 0x3ff0) {
            return Optional.of(Category.DOCUMENTATION); // 2001:db8::/32, 3fff::/20
        }
        if (w0 == 0x0100 && isZero(a, 2, 8)) {
            return Optional.of(Category.RESERVED); // 100::/64 discard-only
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return Optional.of(Category.PRIVATE); // fc00::/7 unique local
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return Optional.of(Category.LINK_LOCAL);
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return Optional.of(Category.PRIVATE); // site-local, deprecated
        }
        if ((w0 & 0xff00) == 0xff00) {
            return Optional.of(Category.MULTICAST);
        }
        if ((w0 & 0xe000) != 0x2000) {
            return Optional.of(Category.RESERVED); // outside 2000::/3, nothing is global unicast
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] a, int at) {
        return ((a[at] & 0xff) << 8) | (a[at + 1] & 0xff);
    }

    private static byte[] tail(byte[] a, int from) {
        return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
    }
}
