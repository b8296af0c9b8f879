package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's one reader and writer of HTML forms for the clients without a browser
 * ({@link WireClient}, {@link PlainBrowser}): where a Keycloak
 * page's form posts to, and fields encoded as a form body.
 */
public final class Forms {
    private static final Pattern ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");

    private Forms() {}

    /** The action URL of the first form in a page ({@code &amp;} decoded), or empty when the page has no form. */
    public static Optional<String> findAction(String html) {
        Matcher m = ACTION.matcher(html);
        return m.find() ? Optional.of(m.group(1).replace("&amp;", "&")) : Optional.empty();
    }

    /** The action URL of the first form in a page; fails the test when there is none. */
    public static String action(String html) {
        Optional<String> action = findAction(html);
        assertTrue(action.isPresent(), "no form in page");
        return action.get();
    }

    /** {@code fields} as an {@code application/x-www-form-urlencoded} body, in the map's order. */
    public static String encode(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}
