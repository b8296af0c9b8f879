package dev.keyward.vault;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The origin ({@code scheme://host:port}) of a provider's base URL, in one normal form: scheme and
 * host in lower case, the port always written (443 for https, 80 for http when left out), an IPv6
 * literal in its full form, no path. Two base URLs that reach the same origin give the same string,
 * so only a change of where the credential goes changes it: a new path or a trailing slash does not.
 */
public final class UpstreamOrigin {

    private UpstreamOrigin() {}

    /**
     * @param baseUrl a provider definition's base URL (absolute http or https, a host)
     * @return {@code scheme://host:port}
     * @throws IllegalArgumentException if it is not such a URL
     */
    public static String of(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> throw new IllegalArgumentException("not an http or https URL");
        };
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL without a host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = "[" + ipv6(host.substring(1, host.length() - 1)) + "]";
        }
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        return scheme + "://" + host + ":" + port;
    }

    /**
     * The literal's full form, so {@code [::1]} and {@code [0:0:0:0:0:0:0:1]} are one origin. A
     * literal InetAddress cannot parse (a zone id, say) stays as written: it can only make two
     * spellings of one address count as two origins, which strands rather than moves a credential.
     */
    private static String ipv6(String literal) {
        try {
            // a bracketed literal: InetAddress parses it without a DNS lookup
            return InetAddress.getByName("[" + literal + "]").getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
