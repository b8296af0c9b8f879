package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.OpaqueSuite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The file names of the page script bundles, as the build wrote them to {@code page-assets.properties}.
 *
 * <p>Each name carries a hash of its content. Keycloak serves theme resources with a 30-day
 * {@code max-age} under a URL that changes only with Keycloak's own version, so a fixed name would
 * keep an upgraded pack's script out of returning browsers for a month; a new name is fetched at
 * once, and the page script's {@code import()} of its suite bundle names the hashed file as well.
 */
final class PageAssets {
    private static final PageAssets BUILT = load();

    private final String page;
    private final String ristretto255;
    private final String p256;
    private final String passkey;

    private PageAssets(Properties names) {
        this.page = required(names, "page");
        this.ristretto255 = required(names, "ristretto255");
        this.p256 = required(names, "p256");
        this.passkey = required(names, "passkey");
    }

    /** The bundles of this JAR. */
    static PageAssets built() {
        return BUILT;
    }

    /** The page script the templates load ({@code js/} under the theme's resources). */
    String page() {
        return page;
    }

    /** The passkey script the login page loads when it offers passkeys ({@link PasskeyOffer}). */
    String passkey() {
        return passkey;
    }

    /**
     * The bundle of the suite's OPAQUE client, which the page imports at once: worth a preload hint.
     * {@code null} for a suite the page has no client for.
     */
    String suite(OpaqueSuite suite) {
        return switch (suite) {
            case RISTRETTO255_SHA512 -> ristretto255;
            case P256_SHA256 -> p256;
            default -> null;
        };
    }

    private static PageAssets load() {
        try (InputStream in = PageAssets.class.getResourceAsStream("page-assets.properties")) {
            if (in == null) {
                throw new IllegalStateException("page-assets.properties is missing: the JAR was built without its page"
                        + " script (opaque-authenticator's npm build)");
            }
            Properties names = new Properties();
            names.load(in);
            return new PageAssets(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(Properties names, String key) {
        String name = names.getProperty(key);
        // the name goes into a URL path and an HTML attribute: only what the build writes
        if (name == null || !name.matches("keyward-opaque(-[A-Za-z0-9]+)*-[A-Z0-9]+\\.js")) {
            throw new IllegalStateException("page-assets.properties: no valid bundle name for " + key);
        }
        return name;
    }
}
