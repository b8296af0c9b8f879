package dev.keyward.it.harness;

import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueSuite;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the OPAQUE pages say and post, for the clients that play the page script over plain HTTP:
 * messages travel base64url without padding, the page names its suite in {@code data-suite}, and
 * KE1 goes in a form POST.
 */
public final class OpaqueWire {
    private static final Pattern SUITE = Pattern.compile("data-suite=\"([^\"]+)\"");

    private OpaqueWire() {}

    public static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    /**
     * The page's suite with the identity KSF: the server never runs the KSF (it only stores the
     * record the client derived), so a driver that registers and logs in with the identity KSF is
     * consistent and keeps its own share of the work small; a browser runs Argon2id instead.
     *
     * @param failure makes the caller's exception from what is wrong with the page
     */
    public static <E extends Exception> OpaqueConfiguration identityKsfConfig(String page, Function<String, E> failure)
            throws E {
        Matcher m = SUITE.matcher(page);
        if (!m.find()) {
            throw failure.apply("no data-suite on the OPAQUE page");
        }
        try {
            return new OpaqueConfiguration(OpaqueSuite.fromIdentifier(m.group(1)), new byte[0], Ksf.IDENTITY);
        } catch (InvalidMessageException e) {
            throw failure.apply("unknown suite " + m.group(1));
        }
    }

    /** The login form's KE1 POST for {@code username}. */
    public static Map<String, String> ke1Form(String username, byte[] ke1) {
        return Map.of("opaque_step", "ke1", "username", username, "ke1", b64(ke1));
    }
}
