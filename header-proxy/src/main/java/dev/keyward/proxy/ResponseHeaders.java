package dev.keyward.proxy;

import dev.keyward.vault.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which upstream response headers reach the client: the ones that describe the body and its
 * caching, nothing that sets state on the client ({@code Set-Cookie}) or belongs to one connection.
 */
final class ResponseHeaders {
    static final List<String> ALLOWED = List.of(
            "Content-Type",
            "Content-Length",
            "Content-Range",
            "Content-Encoding",
            "Accept-Ranges",
            "ETag",
            "Last-Modified",
            "Cache-Control",
            "Expires",
            "Content-Disposition");
    private static final Set<String> ALLOWED_LOWER =
            Set.copyOf(ALLOWED.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());

    private ResponseHeaders() {}

    /** @return whether an upstream header with this name and value may be returned */
    static boolean allowed(String name, String value) {
        return name != null
                && ALLOWED_LOWER.contains(name.toLowerCase(Locale.ROOT))
                && HttpHeaders.isValue(value)
                && value.length() <= UpstreamHeaders.MAX_VALUE_LENGTH;
    }
}
