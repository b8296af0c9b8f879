package dev.keyward.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.vault.HttpHeaders;
import dev.keyward.vault.InvalidInputException;
import dev.keyward.vault.IpRange;
import dev.keyward.vault.ProviderDefinition;
import dev.keyward.vault.ProviderDefinitions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The header proxy's rules for one provider: the {@code proxy} section of its definition, parsed,
 * checked and in normal form. The vault keeps that section as JSON; this is the only place that
 * reads it (JSON shape: provider-credential-vault/README.md, "Provider definitions").
 *
 * @param baseUrl upstream base URL, https unless {@code allowHttp}
 * @param pathPrefixes path prefixes (below the base URL's path) requests may reach; none means nothing is reachable
 * @param methods methods the proxy forwards, upper case, each once; GET and HEAD if left out
 * @param staticHeaders fixed headers sent on every request (e.g. a User-Agent), in the definition's order
 * @param passThroughHeaders client headers passed through (e.g. Range, If-None-Match, Accept); everything else is dropped
 * @param allowHttp lets the base URL use plain http
 * @param allowPrivateNetwork lets the upstream resolve to every private range the server's operator
 *     allows the header proxy (its {@code allowed-private-ranges}), never more; off: the SSRF guard refuses them all
 * @param privateRanges non-public ranges (CIDR, canonical form) the upstream may resolve to, narrower
 *     than {@code allowPrivateNetwork}; each must lie inside a range the server's operator allows
 * @param rateLimit this provider's own request limit per user; null: the server's default applies
 */
record ProxyRules(
        String baseUrl,
        List<String> pathPrefixes,
        List<String> methods,
        Map<String, String> staticHeaders,
        List<String> passThroughHeaders,
        boolean allowHttp,
        boolean allowPrivateNetwork,
        List<String> privateRanges,
        RateLimit rateLimit) {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD");

    /** Binds the section as the vault once did: unknown fields and nulls for flags are errors. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** At most {@code requests} proxied requests per user in each window of {@code windowSeconds}. */
    record RateLimit(int requests, int windowSeconds) {}

    ProxyRules {
        pathPrefixes = List.copyOf(pathPrefixes);
        methods = List.copyOf(methods);
        // the order is the order the upstream receives them in
        staticHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(staticHeaders));
        passThroughHeaders = List.copyOf(passThroughHeaders);
        privateRanges = List.copyOf(privateRanges);
    }

    /**
     * @return the definition's rules; empty if it has no {@code proxy} section
     * @throws InvalidInputException naming the first broken rule
     */
    static Optional<ProxyRules> of(ProviderDefinition definition) throws InvalidInputException {
        ObjectNode proxy = definition.proxy();
        return proxy == null ? Optional.empty() : Optional.of(parse(proxy));
    }

    /**
     * Parses and checks a {@code proxy} section.
     *
     * @throws InvalidInputException naming the first broken rule; the admin API answers 400 with it
     */
    static ProxyRules parse(ObjectNode proxy) throws InvalidInputException {
        Section section;
        try {
            // bound inside its parent, so that errors name the field as "proxy.…", as they always have
            section = JSON.treeToValue(JSON.createObjectNode().set("proxy", proxy), Section.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(ProviderDefinitions.describe(e));
        }
        return section.proxy.validated();
    }

    /** @return the definition with its {@code proxy} section in normal form (as the vault keeps and shows it) */
    static ProviderDefinition normalised(ProviderDefinition definition) throws InvalidInputException {
        Optional<ProxyRules> rules = of(definition);
        return rules.isEmpty() ? definition : definition.withProxy(rules.get().toJson());
    }

    /**
     * @return this section as JSON, with every field in the order and form the vault has always
     *         stored and shown ({@code rateLimit} only when set)
     */
    ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("baseUrl", baseUrl);
        strings(out.putArray("pathPrefixes"), pathPrefixes);
        strings(out.putArray("methods"), methods);
        ObjectNode headers = out.putObject("staticHeaders");
        staticHeaders.forEach(headers::put);
        strings(out.putArray("passThroughHeaders"), passThroughHeaders);
        out.put("allowHttp", allowHttp);
        out.put("allowPrivateNetwork", allowPrivateNetwork);
        strings(out.putArray("privateRanges"), privateRanges);
        if (rateLimit != null) {
            out.putObject("rateLimit")
                    .put("requests", rateLimit.requests())
                    .put("windowSeconds", rateLimit.windowSeconds());
        }
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** The wire form, bound by Jackson; {@link Proxy#validated} turns it into rules. */
    private static final class Section {
        public Proxy proxy;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private static final class Proxy {
        public String baseUrl;
        public List<String> pathPrefixes;
        public List<String> methods;
        public Map<String, String> staticHeaders;
        public List<String> passThroughHeaders;
        public boolean allowHttp;
        public boolean allowPrivateNetwork;
        public List<String> privateRanges;
        public Limit rateLimit;

        private static final class Limit {
            public int requests;
            public int windowSeconds;
        }

        /** Checks every rule and normalises what has one normal form; the order of the checks is the message order. */
        ProxyRules validated() throws InvalidInputException {
            URI base;
            try {
                base = new URI(baseUrl == null ? "" : baseUrl);
            } catch (URISyntaxException e) {
                throw new InvalidInputException("proxy.baseUrl is not a URL");
            }
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || (scheme.equals("http") && allowHttp)) || base.getHost() == null) {
                throw new InvalidInputException(
                        "proxy.baseUrl must be an absolute https URL (http only with allowHttp)");
            }
            if (base.getRawUserInfo() != null || base.getRawQuery() != null || base.getRawFragment() != null) {
                throw new InvalidInputException("proxy.baseUrl must not carry user info, a query or a fragment");
            }
            List<String> prefixes = pathPrefixes == null ? List.of() : pathPrefixes;
            for (String prefix : prefixes) {
                if (prefix == null
                        || !prefix.startsWith("/")
                        || prefix.contains("//")
                        || prefix.contains("\\")
                        || prefix.contains("%")
                        || prefix.contains("?")
                        || prefix.contains("#")
                        || ("/" + prefix + "/").contains("/../")
                        || ("/" + prefix + "/").contains("/./")
                        || !HttpHeaders.isValue(prefix)
                        || prefix.contains(" ")) {
                    throw new InvalidInputException("proxy.pathPrefixes must be plain absolute paths (no '..', '.',"
                            + " '//', backslashes, '%', '?', '#' or spaces)");
                }
            }
            List<String> asked = methods == null || methods.isEmpty() ? DEFAULT_METHODS : methods;
            List<String> upperMethods = new ArrayList<>();
            for (String m : asked) {
                String upper = m == null ? "" : m.toUpperCase(Locale.ROOT);
                if (!METHODS.contains(upper)) {
                    throw new InvalidInputException("proxy.methods may hold GET, HEAD, POST, PUT, PATCH and DELETE");
                }
                if (!upperMethods.contains(upper)) {
                    upperMethods.add(upper);
                }
            }
            Map<String, String> headers = staticHeaders == null ? Map.of() : staticHeaders;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (!HttpHeaders.isName(h.getKey())
                        || HttpHeaders.NEVER_SELECTABLE.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    throw new InvalidInputException("proxy.staticHeaders has a name that is invalid or reserved"
                            + " (connection, host, cookie and authorization headers are not allowed)");
                }
                if (!HttpHeaders.isValue(h.getValue())) {
                    throw new InvalidInputException(
                            "proxy.staticHeaders has a value with control or non-ASCII characters");
                }
            }
            List<String> passed = passThroughHeaders == null ? List.of() : passThroughHeaders;
            List<String> ranges = new ArrayList<>();
            for (String range : privateRanges == null ? List.<String>of() : privateRanges) {
                ranges.add(IpRange.parse(range).toString());
            }
            if (rateLimit != null
                    && (rateLimit.requests < 1
                            || rateLimit.requests > 100_000
                            || rateLimit.windowSeconds < 1
                            || rateLimit.windowSeconds > 86_400)) {
                throw new InvalidInputException(
                        "proxy.rateLimit needs requests (1 to 100000) and windowSeconds (1 to 86400)");
            }
            for (String name : passed) {
                if (!HttpHeaders.isName(name) || HttpHeaders.NEVER_SELECTABLE.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new InvalidInputException("proxy.passThroughHeaders has a name that is invalid or reserved"
                            + " (connection, host, cookie, authorization and forwarding headers are not allowed)");
                }
            }
            return new ProxyRules(
                    baseUrl,
                    prefixes,
                    upperMethods,
                    headers,
                    passed,
                    allowHttp,
                    allowPrivateNetwork,
                    ranges,
                    rateLimit == null ? null : new RateLimit(rateLimit.requests, rateLimit.windowSeconds));
        }
    }
}
