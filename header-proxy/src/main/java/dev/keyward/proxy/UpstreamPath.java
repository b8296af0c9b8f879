package dev.keyward.proxy;

import java.net.URI;
import java.util.List;

/**
 * Maps the path a client asked for onto the provider's upstream, inside the provider's path
 * prefixes. The client's path is taken raw (still percent-encoded) and refused, not repaired, when
 * it could mean something else to the upstream than to this check: dot segments (also before a
 * {@code ;}), empty segments, backslashes, and encoded slash, backslash, dot, percent or control
 * characters. What passes is appended to the base URL's path unchanged, so the upstream decodes
 * exactly what was checked.
 */
final class UpstreamPath {
    private UpstreamPath() {}

    /**
     * @param base the provider's base URL
     * @param prefixes the provider's path prefixes (below the base path)
     * @param rawPath the client's path below {@code /header-proxy/{provider}}, raw; empty means {@code /}
     * @param rawQuery the client's raw query, or null
     * @return the upstream path and query (no scheme or authority)
     * @throws ProxyRefusal 400 for a path or query that is not plain, 404 for one outside every prefix
     */
    static String resolve(URI base, List<String> prefixes, String rawPath, String rawQuery) throws ProxyRefusal {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        checkPath(path);
        if (prefixes.stream().noneMatch(prefix -> within(path, prefix))) {
            throw new ProxyRefusal(404, "path_not_allowed", "this provider does not allow that path");
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        StringBuilder out = new StringBuilder(basePath).append(path);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            checkQuery(rawQuery);
            out.append('?').append(rawQuery);
        }
        return out.toString();
    }

    /**
     * @return whether a redirect's raw upstream path (absolute, including the base path) is one
     *         {@link #resolve} could have produced
     */
    static boolean allowsUpstreamPath(URI base, List<String> prefixes, String rawUpstreamPath) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        if (rawUpstreamPath == null || !rawUpstreamPath.startsWith(basePath + "/")) {
            return false;
        }
        String below = rawUpstreamPath.substring(basePath.length());
        try {
            checkPath(below);
        } catch (ProxyRefusal e) {
            return false;
        }
        return prefixes.stream().anyMatch(prefix -> within(below, prefix));
    }

    /** Segment-wise: prefix {@code /a/b} admits {@code /a/b} and {@code /a/b/...}, not {@code /a/bc}. */
    static boolean within(String path, String prefix) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static void checkPath(String path) throws ProxyRefusal {
        if (!path.startsWith("/") || path.contains("//") || path.contains("\\")) {
            throw invalidPath();
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#') {
                throw invalidPath();
            }
            if (c == '%') {
                int decoded = hexByte(path, i);
                if (decoded < 0x20
                        || decoded == 0x7f
                        || decoded == '/'
                        || decoded == '\\'
                        || decoded == '.'
                        || decoded == '%'
                        || decoded == ';') {
                    throw invalidPath();
                }
            }
        }
        for (String segment : path.substring(1).split("/", -1)) {
            int semicolon = segment.indexOf(';');
            String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (name.equals(".") || name.equals("..")) {
                throw invalidPath();
            }
        }
    }

    private static void checkQuery(String query) throws ProxyRefusal {
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new ProxyRefusal(400, "invalid_query", "the query may hold only visible ASCII");
            }
            if (c == '%' && hexByte(query, i) < 0) {
                throw new ProxyRefusal(400, "invalid_query", "the query has a malformed percent escape");
            }
        }
    }

    /** @return the byte a {@code %XX} at {@code at} encodes, or -1 if it is malformed */
    private static int hexByte(String s, int at) {
        if (at + 2 >= s.length()) {
            return -1;
        }
        int hi = Character.digit(s.charAt(at + 1), 16);
        int lo = Character.digit(s.charAt(at + 2), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static ProxyRefusal invalidPath() {
        return new ProxyRefusal(
                400,
                "invalid_path",
                "the path may not hold '.' or '..' segments, '//', backslashes, or encoded '/', '\\', '.', '%', ';' or control characters");
    }
}
