package dev.keyward.it.harness;

import static dev.keyward.it.harness.OpaqueWire.b64;
import static dev.keyward.it.harness.OpaqueWire.unb64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.RegistrationResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives complete authorization-code logins (code + PKCE S256) through Keycloak over plain HTTP,
 * as a browser with JavaScript would: authorization request, login page, the variant's
 * credential step(s), redirect to the client with the code, token request, access token.
 * A fresh cookie jar per login; redirects inside Keycloak are followed by hand, the one to the
 * client is not. One driver per worker thread (its HttpClient keeps that worker's connections).
 *
 * <p>OPAQUE client work runs with the identity KSF ({@link OpaqueWire#identityKsfConfig}).
 */
public final class LoginDriver {
    public static final String CLIENT_ID = "bench-client";
    /** Never contacted: the driver reads the code from the Location header. */
    public static final String REDIRECT_URI = "http://127.0.0.1:9/callback";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The steps of a login, for a {@link Route}. */
    public enum Step {
        PAGE,
        KE1,
        KE3,
        TOKEN,
        REGISTER
    }

    /** Which Keycloak node serves a step: a load balancer the test steers. */
    @FunctionalInterface
    public interface Route {
        URI node(Step step);
    }

    /** The address in Keycloak's pages, redirects and tokens (its hostname). */
    private final URI base;

    private final Route route;
    private final HttpClient http = PlainBrowser.newHttpClient();

    public LoginDriver(URI base) {
        this(base, step -> base);
    }

    /**
     * A driver for a cluster: {@code publicBase} is the hostname every node puts in its URLs; each
     * request goes to the node {@code route} names for its step instead.
     */
    public LoginDriver(URI publicBase, Route route) {
        this.base = publicBase;
        this.route = route;
    }

    /** A login that did not end with an access token: which step, what came back (no secrets). */
    public static final class LoginFailure extends Exception {
        LoginFailure(String message) {
            super(message);
        }
    }

    /**
     * One complete login of {@code username} in {@code realm}; returns the CPU time (ns) this thread
     * spent in {@link OpaqueClient} calls, 0 for the other variants.
     */
    public long login(LoginVariant variant, String realm, String username, String password)
            throws LoginFailure, IOException, InterruptedException {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        PlainBrowser x = new PlainBrowser(http, base).target(route.node(Step.PAGE));
        Pkce pkce = new Pkce();
        HttpResponse<String> page = x.get(authorizationUrl(realm, pkce));
        expect(page, 200, "login page");
        String action = formAction(page);
        long opaqueCpu = 0;
        HttpResponse<String> done;
        switch (variant) {
            case PASSWORD ->
                done = x.post(action, Map.of("username", username, "password", password, "credentialId", ""));
            case NO_CHECK -> done = x.post(action, Map.of("username", username));
            case OPAQUE -> {
                OpaqueConfiguration config = OpaqueWire.identityKsfConfig(page.body(), LoginFailure::new);
                OpaqueClient client = new OpaqueClient(config);
                long t0 = cpu();
                OpaqueClient.LoginStart start = client.startLogin(password.getBytes(StandardCharsets.UTF_8));
                byte[] ke1 = start.ke1().toBytes();
                opaqueCpu += cpu() - t0;
                x.target(route.node(Step.KE1));
                HttpResponse<String> ke2Response = x.post(action, OpaqueWire.ke1Form(username, ke1));
                expect(ke2Response, 200, "KE2");
                JsonNode json = JSON.readTree(ke2Response.body());
                String ke3;
                boolean serverAuthenticated = true;
                t0 = cpu();
                try {
                    ke3 = b64(client.finishLogin(
                                    start.state(),
                                    KE2.fromBytes(
                                            config.suite(),
                                            unb64(json.get("ke2").asText())),
                                    Identities.NONE)
                            .ke3()
                            .toBytes());
                } catch (AuthenticationException | InvalidMessageException e) {
                    // as the page does: a random KE3, so the server settles (and counts) the guess now
                    byte[] random = new byte[config.suite().ke3Length()];
                    RANDOM.nextBytes(random);
                    ke3 = b64(random);
                    serverAuthenticated = false;
                } finally {
                    opaqueCpu += cpu() - t0;
                }
                x.target(route.node(Step.KE3));
                done = x.post(json.get("action").asText(), Map.of("opaque_step", "ke3", "ke3", ke3));
                if (!serverAuthenticated) {
                    throw new LoginFailure("KE2 did not authenticate the server for " + username
                            + " (wrong password, locked" + " out, or no record?); KE3 answered " + describe(done));
                }
            }
            default -> throw new IllegalArgumentException(variant.toString());
        }
        String code = codeFrom(done, pkce);
        HttpResponse<String> tokens = http.send(
                PlainBrowser.form(
                                route.node(Step.TOKEN) + "/realms/" + realm + "/protocol/openid-connect/token",
                                Map.of(
                                        "grant_type",
                                        "authorization_code",
                                        "client_id",
                                        CLIENT_ID,
                                        "code",
                                        code,
                                        "redirect_uri",
                                        REDIRECT_URI,
                                        "code_verifier",
                                        pkce.verifier))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(tokens, 200, "token response");
        JsonNode accessToken = JSON.readTree(tokens.body()).get("access_token");
        if (accessToken == null || accessToken.asText().isEmpty()) {
            throw new LoginFailure("token response without access_token");
        }
        TestSecrets.record(TestSecrets.Kind.TOKEN, accessToken.asText());
        return opaqueCpu;
    }

    /**
     * Setup, outside any measured window: a user of the realm (whose browser flow is then the
     * username form alone) logs in by name and sets an OPAQUE password through the required
     * action keyward-opaque-register, as OpaqueWireIT does after a legacy login.
     */
    void registerOpaque(String realm, String username, String password)
            throws LoginFailure, IOException, InterruptedException {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        PlainBrowser x = new PlainBrowser(http, base).target(route.node(Step.REGISTER));
        Pkce pkce = new Pkce();
        HttpResponse<String> page = x.get(authorizationUrl(realm, pkce));
        expect(page, 200, "username page");
        HttpResponse<String> register = x.post(formAction(page), Map.of("username", username));
        expect(register, 200, "registration page");
        if (!register.body().contains("data-keyward-opaque=\"register\"")) {
            throw new LoginFailure("no OPAQUE registration page for " + username);
        }
        OpaqueConfiguration config = OpaqueWire.identityKsfConfig(register.body(), LoginFailure::new);
        OpaqueClient client = new OpaqueClient(config);
        OpaqueClient.RegistrationStart start = client.startRegistration(password.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> step1 = x.post(
                formAction(register),
                Map.of(
                        "opaque_step",
                        "registration-request",
                        "request",
                        b64(start.request().toBytes())));
        expect(step1, 200, "registration response");
        JsonNode json = JSON.readTree(step1.body());
        byte[] record;
        try {
            record = client.finishRegistration(
                            start.state(),
                            RegistrationResponse.fromBytes(
                                    config.suite(), unb64(json.get("response").asText())),
                            Identities.NONE)
                    .record()
                    .toBytes();
        } catch (InvalidMessageException e) {
            throw new LoginFailure("registration response does not parse");
        }
        codeFrom(
                x.post(
                        json.get("action").asText(),
                        Map.of("opaque_step", "registration-record", "record", b64(record))),
                pkce);
    }

    private String authorizationUrl(String realm, Pkce pkce) {
        return authorizationUrl(base, realm, pkce);
    }

    /** The authorization request of {@link #CLIENT_ID} (code + PKCE S256) at {@code base}. */
    public static String authorizationUrl(URI base, String realm, Pkce pkce) {
        return base + "/realms/" + realm + "/protocol/openid-connect/auth?"
                + Forms.encode(Map.of(
                        "client_id",
                        CLIENT_ID,
                        "response_type",
                        "code",
                        "scope",
                        "openid",
                        "redirect_uri",
                        REDIRECT_URI,
                        "state",
                        pkce.state,
                        "code_challenge",
                        pkce.challenge,
                        "code_challenge_method",
                        "S256"));
    }

    /** The authorization code from the redirect to {@link #REDIRECT_URI}, its state checked. */
    public static String codeFrom(HttpResponse<String> r, Pkce pkce) throws LoginFailure {
        String location = r.headers().firstValue("Location").orElse("");
        if (r.statusCode() != 302 || !location.startsWith(REDIRECT_URI + "?")) {
            throw new LoginFailure("expected the redirect to the client, got " + describe(r));
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : location.substring(location.indexOf('?') + 1).split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                params.put(p.substring(0, eq), java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!pkce.state.equals(params.get("state")) || params.get("code") == null) {
            throw new LoginFailure("redirect without code or with another state: " + params.keySet());
        }
        return params.get("code");
    }

    public static void expect(HttpResponse<String> r, int status, String step) throws LoginFailure {
        if (r.statusCode() != status) {
            throw new LoginFailure(step + ": expected " + status + ", got " + describe(r));
        }
    }

    private static String describe(HttpResponse<String> r) {
        String body = r.body() == null ? "" : r.body();
        // a form's alert, Keycloak's error page (error.ftl), or a JSON error
        Matcher error = Pattern.compile("(?s)<span[^>]*kc-feedback-text[^>]*>(.*?)</span>"
                        + "|id=\"kc-error-message\"[^>]*>\\s*<p[^>]*>(.*?)</p>|\"error\":\"([^\"]+)\"")
                .matcher(body);
        String hint = "";
        if (error.find()) {
            for (int g = 1; g <= error.groupCount() && hint.isEmpty(); g++) {
                hint = error.group(g) == null ? "" : error.group(g).trim();
            }
        }
        return r.statusCode() + " " + r.request().method() + " " + r.uri().getPath()
                + r.headers()
                        .firstValue("Location")
                        .map(l -> " -> " + l.replaceAll("[?].*", "?..."))
                        .orElse("")
                + (hint.isEmpty() ? "" : " \"" + hint + "\"");
    }

    /** The action of the page's first form ({@link Forms}); a page without one fails the login. */
    public static String formAction(HttpResponse<String> page) throws LoginFailure {
        return Forms.findAction(page.body())
                .orElseThrow(() -> new LoginFailure("no form on " + page.uri().getPath()));
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** PKCE S256 verifier and challenge, and the state, of one authorization request. */
    public static final class Pkce {
        public final String verifier = random(32);
        final String state = random(16);
        final String challenge;

        public Pkce() {
            try {
                challenge =
                        b64(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String random(int bytes) {
            byte[] b = new byte[bytes];
            RANDOM.nextBytes(b);
            return b64(b);
        }
    }
}
