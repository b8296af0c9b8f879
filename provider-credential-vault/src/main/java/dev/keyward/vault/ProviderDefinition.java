package dev.keyward.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An upstream provider users can bind a credential for: its id, name, credential kind and what the
 * header proxy may send to it. Kept per realm as a realm attribute ({@link ProviderDefinitions}),
 * so realm export and import carry it. JSON shape: provider-credential-vault/README.md, "Provider definitions".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ProviderDefinition {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    /** Lower-case id used in URLs: {@code [a-z0-9][a-z0-9-]{0,62}}. */
    public String id;
    /** What users see. */
    public String displayName;
    /** How the upstream expects the credential. */
    public CredentialKind credentialKind;
    /** Header name ({@code api-key-header}) or cookie name ({@code cookie}); unused otherwise. */
    public String credentialName;
    /** What the header proxy may send; optional until the provider is used through the proxy. */
    public Proxy proxy;

    /** The header proxy's rules for this provider. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Proxy {
        /** Upstream base URL, https unless {@link #allowHttp}. */
        public String baseUrl;
        /** Path prefixes (below the base URL's path) requests may reach; none means nothing is reachable. */
        public List<String> pathPrefixes = new ArrayList<>();
        /** Methods the proxy forwards; GET and HEAD if left out. */
        public List<String> methods = new ArrayList<>(List.of("GET", "HEAD"));
        /** Fixed headers sent on every request (e.g. a User-Agent). */
        public Map<String, String> staticHeaders = new LinkedHashMap<>();
        /** Client headers passed through (e.g. Range, If-None-Match, Accept); everything else is dropped. */
        public List<String> passThroughHeaders = new ArrayList<>();
        /** Lets the base URL use plain http. */
        public boolean allowHttp;
        /**
         * Lets the upstream resolve to every private range the server's operator allows the header
         * proxy (its {@code allowed-private-ranges}), never more; off: the SSRF guard refuses them all.
         */
        public boolean allowPrivateNetwork;
        /**
         * Non-public ranges (CIDR) the upstream may resolve to, narrower than {@link #allowPrivateNetwork};
         * each must lie inside a range the server's operator allows.
         */
        public List<String> privateRanges = new ArrayList<>();
        /** This provider's own request limit per user; the server's default applies when left out. */
        public RateLimit rateLimit;
    }

    /** At most {@code requests} proxied requests per user in each window of {@code windowSeconds}. */
    public static final class RateLimit {
        public int requests;
        public int windowSeconds;
    }

    /**
     * Checks every rule and normalises what has one normal form.
     *
     * @param pathId the id in the request path, which the body must match if it names one
     * @throws InvalidInputException naming the first broken rule
     */
    void validate(String pathId) throws InvalidInputException {
        if (id == null) {
            id = pathId;
        }
        if (!id.equals(pathId)) {
            throw new InvalidInputException("id in the body does not match the id in the path");
        }
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("id must be 1 to 63 of a-z 0-9 and '-', starting with a letter or digit");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 100) {
            throw new InvalidInputException("displayName is required (at most 100 characters)");
        }
        if (credentialKind == null) {
            throw new InvalidInputException("credentialKind is required: bearer, basic, api-key-header or cookie");
        }
        switch (credentialKind) {
            case API_KEY_HEADER -> {
                if (!HttpHeaders.isName(credentialName)
                        || HttpHeaders.NEVER_SELECTABLE.contains(HttpHeaders.lower(credentialName))) {
                    throw new InvalidInputException("api-key-header needs credentialName, a header name that is not"
                            + " a connection, host, cookie or authorization header");
                }
            }
            case COOKIE -> {
                if (!HttpHeaders.isName(credentialName) || credentialName.contains("=")) {
                    throw new InvalidInputException("cookie needs credentialName, the cookie's name (a token)");
                }
            }
            default -> credentialName = null;
        }
        if (proxy != null) {
            validateProxy();
        }
    }

    private void validateProxy() throws InvalidInputException {
        URI base;
        try {
            base = new URI(proxy.baseUrl == null ? "" : proxy.baseUrl);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("proxy.baseUrl is not a URL");
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || (scheme.equals("http") && proxy.allowHttp)) || base.getHost() == null) {
            throw new InvalidInputException("proxy.baseUrl must be an absolute https URL (http only with allowHttp)");
        }
        if (base.getRawUserInfo() != null || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new InvalidInputException("proxy.baseUrl must not carry user info, a query or a fragment");
        }
        if (proxy.pathPrefixes == null) {
            proxy.pathPrefixes = new ArrayList<>();
        }
        for (String prefix : proxy.pathPrefixes) {
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
                throw new InvalidInputException("proxy.pathPrefixes must be plain absolute paths (no '..', '.', '//',"
                        + " backslashes, '%', '?', '#' or spaces)");
            }
        }
        if (proxy.methods == null || proxy.methods.isEmpty()) {
            proxy.methods = new ArrayList<>(List.of("GET", "HEAD"));
        }
        List<String> methods = new ArrayList<>();
        for (String m : proxy.methods) {
            String upper = m == null ? "" : m.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                throw new InvalidInputException("proxy.methods may hold GET, HEAD, POST, PUT, PATCH and DELETE");
            }
            if (!methods.contains(upper)) {
                methods.add(upper);
            }
        }
        proxy.methods = methods;
        if (proxy.staticHeaders == null) {
            proxy.staticHeaders = new LinkedHashMap<>();
        }
        for (Map.Entry<String, String> h : proxy.staticHeaders.entrySet()) {
            if (!HttpHeaders.isName(h.getKey())
                    || HttpHeaders.NEVER_SELECTABLE.contains(HttpHeaders.lower(h.getKey()))) {
                throw new InvalidInputException("proxy.staticHeaders has a name that is invalid or reserved"
                        + " (connection, host, cookie and authorization headers are not allowed)");
            }
            if (!HttpHeaders.isValue(h.getValue())) {
                throw new InvalidInputException("proxy.staticHeaders has a value with control or non-ASCII characters");
            }
        }
        if (proxy.passThroughHeaders == null) {
            proxy.passThroughHeaders = new ArrayList<>();
        }
        if (proxy.privateRanges == null) {
            proxy.privateRanges = new ArrayList<>();
        }
        List<String> ranges = new ArrayList<>();
        for (String range : proxy.privateRanges) {
            ranges.add(IpRange.parse(range).toString());
        }
        proxy.privateRanges = ranges;
        if (proxy.rateLimit != null
                && (proxy.rateLimit.requests < 1
                        || proxy.rateLimit.requests > 100_000
                        || proxy.rateLimit.windowSeconds < 1
                        || proxy.rateLimit.windowSeconds > 86_400)) {
            throw new InvalidInputException(
                    "proxy.rateLimit needs requests (1 to 100000) and windowSeconds (1 to 86400)");
        }
        for (String name : proxy.passThroughHeaders) {
            if (!HttpHeaders.isName(name) || HttpHeaders.NEVER_SELECTABLE.contains(HttpHeaders.lower(name))) {
                throw new InvalidInputException("proxy.passThroughHeaders has a name that is invalid or reserved"
                        + " (connection, host, cookie, authorization and forwarding headers are not allowed)");
            }
        }
    }
}
