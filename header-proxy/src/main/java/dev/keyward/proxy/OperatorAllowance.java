package dev.keyward.proxy;

import dev.keyward.vault.CredentialKind;
import dev.keyward.vault.InvalidInputException;
import dev.keyward.vault.IpRange;
import dev.keyward.vault.ProviderDefinition;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the server's operator lets provider definitions ask of the header proxy: the non-public
 * ranges an upstream may resolve to ({@code allowed-private-ranges}, none by default) and whether a
 * definition may send cloud-metadata headers ({@code allow-metadata-headers}, no by default). A
 * definition is realm data that any realm admin can write, so it may only narrow this (design
 * decision 9): a {@code privateRanges} entry counts only when it lies inside one listed range, and
 * {@code allowPrivateNetwork} means the listed ranges, never more.
 *
 * <p>Loopback and cloud-metadata addresses ({@link #SENSITIVE}) are lifted only where the operator
 * lists a range inside them, so that a broad listing such as {@code 0.0.0.0/0} never opens the
 * host's credentials by accident. Over-broad ranges need no rule of their own: a definition's range
 * must fit inside a listed one, so only an operator who lists a range that broad can grant it.
 */
final class OperatorAllowance {
    /** Nothing: the default. */
    static final OperatorAllowance NONE = new OperatorAllowance(List.of(), false);

    /**
     * Wider than these, a range spans more than one kind of network (10.0.0.0/8 is the widest private
     * IPv4 block, fc00::/7 the IPv6 one), so listing one is worth a warning at start-up.
     */
    static final int BROAD_IPV4_PREFIX = 8;

    static final int BROAD_IPV6_PREFIX = 7;

    /** Loopback, and where cloud metadata and credential endpoints answer. */
    private static final List<IpRange> SENSITIVE = ranges(
            "127.0.0.0/8",
            "::1/128",
            // link-local: 169.254.169.254 (AWS, Google, Azure, Oracle, DigitalOcean, OpenStack), 169.254.170.2 (AWS
            // ECS)
            "169.254.0.0/16",
            "fe80::/10",
            "fd00:ec2::254/128", // AWS IMDS over IPv6, inside unique-local fc00::/7
            "100.100.100.200/32"); // Alibaba Cloud, inside CGNAT 100.64.0.0/10
    /** Addresses the guard never calls whatever is allowed: listing only these is a mistake. */
    private static final List<IpRange> NEVER_CALLED =
            ranges("0.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32", "::/128", "ff00::/8");

    private final List<IpRange> ranges;
    private final boolean metadataHeaders;

    private OperatorAllowance(List<IpRange> ranges, boolean metadataHeaders) {
        this.ranges = ranges;
        this.metadataHeaders = metadataHeaders;
    }

    /**
     * @param option the value of {@code allowed-private-ranges}: comma-separated CIDR literals; null or blank for none
     * @param metadataHeaders the value of {@code allow-metadata-headers}
     * @throws InvalidProxyOptionException naming the option and the entry's position
     */
    static OperatorAllowance parse(String option, boolean metadataHeaders) {
        List<IpRange> ranges = new ArrayList<>();
        if (option != null && !option.isBlank()) {
            String[] entries = option.split(",", -1);
            for (int i = 0; i < entries.length; i++) {
                String entry = ProxySettings.ALLOWED_PRIVATE_RANGES + " entry " + (i + 1);
                if (entries[i].isBlank()) {
                    throw new InvalidProxyOptionException(entry + " is empty; list CIDR ranges separated by commas");
                }
                IpRange range;
                try {
                    range = IpRange.parse(entries[i]);
                } catch (InvalidInputException e) {
                    throw new InvalidProxyOptionException(entry + " is not a CIDR range of IP literals without bits set"
                            + " below its prefix (e.g. 10.20.0.0/16)");
                }
                if (NEVER_CALLED.stream().anyMatch(n -> n.encloses(range))) {
                    throw new InvalidProxyOptionException(entry + " holds only unspecified, multicast or broadcast"
                            + " addresses, which the proxy never calls");
                }
                if (!ranges.contains(range)) {
                    ranges.add(range);
                }
            }
        }
        return new OperatorAllowance(List.copyOf(ranges), metadataHeaders);
    }

    /** @return the listed ranges */
    List<IpRange> ranges() {
        return ranges;
    }

    /** @return the listed ranges wider than any one kind of private network */
    List<IpRange> broadRanges() {
        return ranges.stream()
                .filter(r -> r.prefixLength() < (r.isIpv4() ? BROAD_IPV4_PREFIX : BROAD_IPV6_PREFIX))
                .toList();
    }

    /** @return whether definitions may send cloud-metadata headers */
    boolean allowsMetadataHeaders() {
        return metadataHeaders;
    }

    /**
     * @return the first thing {@code provider} asks for beyond this allowance, as a short sentence
     *         for its admin that names the range or header (no secret: those are never in a definition);
     *         empty if it asks for nothing more
     */
    Optional<String> excess(ProxiedProvider provider) {
        ProxyRules proxy = provider.rules();
        if (!metadataHeaders) {
            Optional<String> header = metadataHeader(provider.definition(), proxy);
            if (header.isPresent()) {
                return Optional.of(header.get() + " is a cloud-metadata header, which this server does not send");
            }
        }
        if (proxy.allowPrivateNetwork() && ranges.isEmpty()) {
            return Optional.of("proxy.allowPrivateNetwork: this server allows provider definitions no private range");
        }
        for (String text : proxy.privateRanges()) {
            IpRange range;
            try {
                range = IpRange.parse(text);
            } catch (InvalidInputException e) {
                return Optional.of("proxy.privateRanges holds an invalid range");
            }
            if (ranges.stream().noneMatch(r -> r.encloses(range))) {
                return Optional.of("proxy.privateRanges: " + range + " is not inside a range this server allows");
            }
            if (!sensitivePartsListed(range)) {
                return Optional.of("proxy.privateRanges: " + range + " reaches loopback or cloud-metadata addresses,"
                        + " which this server does not allow");
            }
        }
        return Optional.empty();
    }

    /**
     * @param address a non-public address the guard would refuse
     * @return whether {@code proxy} may connect to it: it lies in a listed range and in the
     *         definition's own ranges (or the definition says {@code allowPrivateNetwork}), and if it is
     *         loopback or metadata space, the operator listed a range inside that space
     */
    boolean lifts(InetAddress address, ProxyRules proxy) {
        if (ranges.stream().noneMatch(r -> r.contains(address))) {
            return false;
        }
        if (!proxy.allowPrivateNetwork()
                && parsed(proxy.privateRanges()).stream().noneMatch(r -> r.contains(address))) {
            return false;
        }
        return !isSensitive(address) || listedExplicitly(address);
    }

    private static Optional<String> metadataHeader(ProviderDefinition definition, ProxyRules proxy) {
        for (Map.Entry<String, String> h : proxy.staticHeaders().entrySet()) {
            if (MetadataHeaders.isMetadataHeader(h.getKey())) {
                return Optional.of("proxy.staticHeaders: " + h.getKey());
            }
        }
        for (String name : proxy.passThroughHeaders()) {
            if (MetadataHeaders.isMetadataHeader(name)) {
                return Optional.of("proxy.passThroughHeaders: " + name);
            }
        }
        if (definition.credentialKind() == CredentialKind.API_KEY_HEADER
                && MetadataHeaders.isMetadataHeader(definition.credentialName())) {
            return Optional.of("credentialName: " + definition.credentialName());
        }
        return Optional.empty();
    }

    /** Every loopback or metadata address of {@code range} lies in a listed range inside that space. */
    private boolean sensitivePartsListed(IpRange range) {
        for (IpRange space : SENSITIVE) {
            if (space.overlaps(range)) {
                IpRange part = space.encloses(range) ? range : space; // CIDR ranges that overlap are nested
                if (ranges.stream().noneMatch(r -> space.encloses(r) && r.encloses(part))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Loopback or link-local in any form (the guard's categories also catch IPv6 forms that embed
     * 127/8 or 169.254/16, which lie in no {@link #SENSITIVE} range and so are never lifted), or a
     * metadata address inside a wider private block.
     */
    private static boolean isSensitive(InetAddress address) {
        Optional<AddressGuard.Category> category = AddressGuard.classify(address);
        return category.isPresent()
                        && (category.get() == AddressGuard.Category.LOOPBACK
                                || category.get() == AddressGuard.Category.LINK_LOCAL)
                || SENSITIVE.stream().anyMatch(s -> s.contains(address));
    }

    private boolean listedExplicitly(InetAddress address) {
        return SENSITIVE.stream()
                .anyMatch(space -> space.contains(address)
                        && ranges.stream().anyMatch(r -> r.contains(address) && space.encloses(r)));
    }

    private static List<IpRange> parsed(List<String> texts) {
        List<IpRange> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(IpRange.parse(text));
            } catch (InvalidInputException e) {
                // excess() reports it; here an invalid range simply lifts nothing
            }
        }
        return out;
    }

    private static List<IpRange> ranges(String... cidrs) {
        List<IpRange> out = new ArrayList<>();
        for (String cidr : cidrs) {
            try {
                out.add(IpRange.parse(cidr));
            } catch (InvalidInputException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        return List.copyOf(out);
    }
}
