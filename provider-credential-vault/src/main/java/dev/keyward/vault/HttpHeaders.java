package dev.keyward.vault;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Header name and value rules shared by provider definitions (and the header proxy). */
public final class HttpHeaders {
    /** RFC 9110 token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** Connection-level headers (RFC 9110 7.6.1) and ones a proxy must never take from a client or a definition. */
    public static final Set<String> NEVER_SELECTABLE = Set.of(
            "host",
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length",
            "cookie",
            "set-cookie",
            "authorization",
            "proxy-authorization",
            "proxy-authenticate",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-forwarded-port",
            "x-real-ip",
            "expect");

    private HttpHeaders() {}

    /** @return whether {@code name} is a syntactically valid header name */
    public static boolean isName(String name) {
        return name != null && TOKEN.matcher(name).matches();
    }

    /** @return whether {@code value} can sit in a header: visible ASCII, spaces and tabs, nothing else */
    public static boolean isValue(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
