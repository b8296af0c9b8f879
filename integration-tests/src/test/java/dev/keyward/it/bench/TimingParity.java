package dev.keyward.it.bench;

import static dev.keyward.it.harness.OpaqueWire.b64;
import static dev.keyward.it.harness.OpaqueWire.unb64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.Forms;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.LoginBenchRealms;
import dev.keyward.it.harness.LoginDriver;
import dev.keyward.it.harness.LoginVariant;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueWire;
import dev.keyward.it.harness.PlainBrowser;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The timing-parity measurement of issue 20 (docs/performance.md, "Timing parity"), shared by
 * {@link TimingParityBenchmark} and {@link TimingParitySmokeIT}: how long Keycloak takes to answer
 * the first request that names a user, seen from the client (what an attacker sees), for each kind
 * of name. OPAQUE: the KE1 POST of a known user (each followed by its right KE3, so the user stays
 * one that may guess), of a fresh unknown name each time, of one unknown name over and over, of a
 * locked user, and of a user with all open guesses taken. The paths are interleaved, one attempt
 * of each per round, their order rotated every round, so background load drifting over the run
 * hits them alike; every attempt is a new browser (cookie jar, authorization request), and only
 * the one POST is timed.
 */
public final class TimingParity {
    /** Brute-force settings of the benchmark's realm: a locked user stays locked for the run, and
     * failures come only from what the benchmark does (quick-login lockout off). */
    static final Map<String, Object> BRUTE_FORCE = Map.of(
            "bruteForceProtected",
            true,
            "permanentLockout",
            false,
            "failureFactor",
            30,
            "waitIncrementSeconds",
            86400,
            "maxFailureWaitSeconds",
            86400,
            "minimumQuickLoginWaitSeconds",
            60,
            "quickLoginCheckMilliSeconds",
            1,
            "maxDeltaTimeSeconds",
            43200);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The email-code step's hourly cap in the benchmark's realm (the most it allows). */
    private static final int SENDS_PER_HOUR = 20;

    /** The OPAQUE KE1 paths. */
    enum Ke1Path {
        KNOWN("known user"),
        UNKNOWN_FRESH("unknown name, fresh"),
        UNKNOWN_REPEATED("unknown name, repeated"),
        LOCKED("locked user"),
        OVER_GUESS_LIMIT("user over the open-guess limit");

        final String label;

        Ke1Path(String label) {
            this.label = label;
        }
    }

    /** Sizes of a run; {@link #fromConfig()} reads them from {@code keyward.bench.timing.*}. */
    record Settings(int samples, int warmup) {
        static Settings fromConfig() {
            return new Settings(intSetting("samples", 1000), intSetting("warmup", 200));
        }

        private static int intSetting(String name, int defaultValue) {
            return Integer.parseInt(ItConfig.get("keyward.bench.timing." + name, Integer.toString(defaultValue)));
        }
    }

    /** One path's answer times (ms) and the attempts that did not go as expected. */
    record Samples(String label, double[] millis, int errors, List<String> errorSamples) {
        double quantile(double q) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
        }

        double median() {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            if (n == 0) {
                return Double.NaN;
            }
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        double mean() {
            return Arrays.stream(millis).average().orElse(Double.NaN);
        }
    }

    /** A table of paths, the first one the reference the others are compared to. */
    record Table(String title, List<Samples> rows) {
        int errors() {
            return rows.stream().mapToInt(Samples::errors).sum();
        }

        String markdown() {
            StringBuilder sb = new StringBuilder("\n" + title + "\n\n");
            sb.append("| path | N | median ms | p90 ms | mean ms | median vs first | p90 vs first | errors |\n");
            sb.append("|---|---|---|---|---|---|---|---|\n");
            Samples ref = rows.get(0);
            for (Samples s : rows) {
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.3f | %.3f | %.3f | %+.1f%% | %+.1f%% | %d |%n",
                        s.label(),
                        s.millis().length,
                        s.median(),
                        s.quantile(0.9),
                        s.mean(),
                        100 * (s.median() / ref.median() - 1),
                        100 * (s.quantile(0.9) / ref.quantile(0.9) - 1),
                        s.errors()));
            }
            rows.stream()
                    .filter(s -> !s.errorSamples().isEmpty())
                    .forEach(s -> sb.append(s.label())
                            .append(" errors, first ones: ")
                            .append(s.errorSamples())
                            .append('\n'));
            return sb.toString();
        }
    }

    /** Everything one run measured, with the conditions it ran in. */
    record Result(String conditions, List<Table> tables) {
        int errors() {
            return tables.stream().mapToInt(Table::errors).sum();
        }

        String report() {
            StringBuilder sb = new StringBuilder(conditions);
            tables.forEach(t -> sb.append(t.markdown()));
            return sb.toString();
        }
    }

    private TimingParity() {}

    static Result run(KeycloakServer keycloak, String realmPrefix, Settings s) throws Exception {
        AdminApi admin = new AdminApi(keycloak);
        BenchConditions conditions = new BenchConditions();
        Table ke1 = opaque(keycloak, admin, realmPrefix, s);
        Table identify = emailCode(keycloak, admin, realmPrefix, s);
        List<Table> tables = new ArrayList<>(List.of(ke1, identify));
        return new Result(conditions(conditions.header("Timing parity", keycloak, admin), s), tables);
    }

    /** The email-code identify paths. */
    enum IdentifyPath {
        KNOWN("user with a verified address"),
        UNKNOWN("unknown name, fresh"),
        UNVERIFIED("user with an unverified address");

        final String label;

        IdentifyPath(String label) {
            this.label = label;
        }
    }

    /**
     * A realm whose browser flow is the email code alone, sending through a GreenMail server of
     * this run; then the identify POST ("username or email") for a user whose address gets the
     * code, a fresh unknown name, and a user whose address is not verified (both get a decoy). No
     * send limit is hit: cooldown 0, and the users take turns so none gets near its hourly cap.
     */
    static Table emailCode(KeycloakServer keycloak, AdminApi admin, String realmPrefix, Settings s) throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        try {
            String realm = realmPrefix + "-email-code";
            Map<String, Object> rep = new HashMap<>(BRUTE_FORCE);
            rep.putAll(Map.of(
                    "realm", realm, "enabled", true, "loginTheme", "keyward", "smtpServer", Mailbox.realmSmtp(smtp)));
            admin.send("POST", "/admin/realms", rep);
            admin.createPublicPkceClient(realm, LoginDriver.CLIENT_ID, List.of(LoginDriver.REDIRECT_URI));
            Map<String, String> executions =
                    admin.createRequiredFlow(realm, "email-first", List.of("keyward-email-code"));
            admin.configureExecution(
                    realm,
                    executions.get("keyward-email-code"),
                    "email-first-code",
                    Map.of("resendCooldownSeconds", "0", "maxSendsPerHour", Integer.toString(SENDS_PER_HOUR)));
            admin.updateRealm(realm, Map.of("browserFlow", "email-first"));
            // each user's sends stay under the hourly cap (per source and account)
            int users = (s.samples() + s.warmup()) / (SENDS_PER_HOUR / 2) + 1;
            for (int i = 0; i < users; i++) {
                admin.createUserWithoutCredentials(realm, "timing-known-" + i, "timing-known-" + i + "@example.com");
                admin.send(
                        "POST",
                        "/admin/realms/" + realm + "/users",
                        Map.of(
                                "username",
                                "timing-unverified-" + i,
                                "email",
                                "timing-unverified-" + i + "@example.com",
                                "emailVerified",
                                false,
                                "enabled",
                                true));
            }
            IdentifyClient client = new IdentifyClient(keycloak.baseUri(), realm);
            List<Samples> rows = interleaved(
                    IdentifyPath.class,
                    p -> p.label,
                    s,
                    (p, round) -> client.identify(
                            switch (p) {
                                case KNOWN -> "timing-known-" + round % users;
                                case UNKNOWN -> "timing-unknown-" + randomName();
                                case UNVERIFIED -> "timing-unverified-" + round % users;
                            }));
            return new Table(
                    String.format(
                            Locale.ROOT,
                            "Email code, identify POST → code page, HTTP answer time at the client (%d mails received)",
                            smtp.getReceivedMessages().length),
                    rows);
        } finally {
            smtp.stop();
        }
    }

    /** The time of one attempt of {@code path} in {@code round}, ms. */
    @FunctionalInterface
    private interface Attempt<P> {
        double run(P path, int round) throws AttemptFailed, IOException, InterruptedException;
    }

    /**
     * The warm-up rounds (not recorded), then the measured ones, each one attempt per path in an
     * order rotated every round; a row per path, in the enum's order.
     */
    private static <P extends Enum<P>> List<Samples> interleaved(
            Class<P> paths, Function<P, String> label, Settings s, Attempt<P> attempt)
            throws IOException, InterruptedException {
        Map<P, List<Double>> times = new EnumMap<>(paths);
        Map<P, List<String>> errors = new EnumMap<>(paths);
        List<P> order = new ArrayList<>(List.of(paths.getEnumConstants()));
        for (int round = 0; round < s.warmup() + s.samples(); round++) {
            for (P p : order) {
                try {
                    double ms = attempt.run(p, round);
                    if (round >= s.warmup()) {
                        times.computeIfAbsent(p, k -> new ArrayList<>()).add(ms);
                    }
                } catch (AttemptFailed e) {
                    errors.computeIfAbsent(p, k -> new ArrayList<>()).add(e.getMessage());
                }
            }
            order.add(order.remove(0));
        }
        List<Samples> rows = new ArrayList<>();
        for (P p : paths.getEnumConstants()) {
            rows.add(samples(label.apply(p), times.get(p), errors.get(p)));
        }
        return rows;
    }

    private static Samples samples(String label, List<Double> times, List<String> errors) {
        List<String> e = errors == null ? List.of() : errors;
        return new Samples(
                label,
                times == null
                        ? new double[0]
                        : times.stream().mapToDouble(Double::doubleValue).toArray(),
                e.size(),
                e.subList(0, Math.min(3, e.size())));
    }

    /** The OPAQUE realm (three registered users), its users put in their states, then the KE1 paths measured. */
    static Table opaque(KeycloakServer keycloak, AdminApi admin, String realmPrefix, Settings s) throws Exception {
        LoginBenchRealms realms = LoginBenchRealms.create(
                admin, realmPrefix, 3, 2, EnumSet.of(LoginVariant.OPAQUE), () -> new LoginDriver(keycloak.baseUri()));
        String realm = realms.realm(LoginVariant.OPAQUE);
        admin.updateRealm(realm, BRUTE_FORCE);
        Ke1Client client = new Ke1Client(keycloak.baseUri(), realm);
        String known = LoginBenchRealms.username(0);
        String locked = LoginBenchRealms.username(1);
        String overLimit = LoginBenchRealms.username(2);
        String repeated = "timing-unknown-" + randomName();

        // the locked user: failed logins until Keycloak's protector locks it (it records asynchronously)
        String lockedId = userId(admin, realm, locked);
        long patience = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0;
                !admin.get("/admin/realms/" + realm + "/attack-detection/brute-force/users/" + lockedId)
                        .path("disabled")
                        .asBoolean();
                i++) {
            if (System.nanoTime() > patience) {
                throw new IllegalStateException(locked + " did not get locked");
            }
            client.attempt(locked, "not-the-password-" + i, true);
            KeycloakServer.sleep(Duration.ofMillis(20));
        }
        // the user over the open-guess limit: every slot taken by a KE1 without KE3 (they count as
        // failures only after the KE3 deadline, and then it takes ten deadlines to lock the user)
        for (int i = 0; i < 3; i++) {
            client.attempt(overLimit, LoginBenchRealms.password(2), false);
        }

        List<Samples> rows = interleaved(Ke1Path.class, p -> p.label, s, (p, round) -> switch (p) {
            case KNOWN -> client.attempt(known, LoginBenchRealms.password(0), true);
            case UNKNOWN_FRESH -> client.attempt("timing-unknown-" + randomName(), "x", false);
            case UNKNOWN_REPEATED -> client.attempt(repeated, "x", false);
            case LOCKED -> client.attempt(locked, LoginBenchRealms.password(1), false);
            case OVER_GUESS_LIMIT -> client.attempt(overLimit, LoginBenchRealms.password(2), false);
        });
        String state = String.format(
                Locale.ROOT,
                "after the run: %s locked %s; %s locked %s",
                locked,
                bruteForce(admin, realm, lockedId),
                overLimit,
                bruteForce(admin, realm, userId(admin, realm, overLimit)));
        return new Table("OPAQUE KE1 → KE2, HTTP answer time at the client (" + state + ")", rows);
    }

    private static String bruteForce(AdminApi admin, String realm, String userId) {
        JsonNode state = admin.get("/admin/realms/" + realm + "/attack-detection/brute-force/users/" + userId);
        return state.path("disabled").asBoolean() + " ("
                + state.path("numFailures").asInt() + " failures)";
    }

    private static String userId(AdminApi admin, String realm, String username) {
        return admin.get("/admin/realms/" + realm + "/users?exact=true&username=" + username)
                .get(0)
                .get("id")
                .asText();
    }

    private static String randomName() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return b64(b).toLowerCase(Locale.ROOT);
    }

    /** An attempt that did not answer as every path must (a KE2; for a known user, a login). */
    static final class AttemptFailed extends Exception {
        AttemptFailed(String message) {
            super(message);
        }
    }

    /** One browser per attempt against a realm whose flow starts with the email code's identify page. */
    private static final class IdentifyClient extends RealmClient {
        IdentifyClient(URI base, String realm) {
            super(base, realm);
        }

        /** @return how long the identify POST took to answer, ms */
        double identify(String name) throws AttemptFailed, IOException, InterruptedException {
            PlainBrowser browser = newBrowser();
            HttpResponse<String> page = open(browser);
            if (!page.body().contains("kc-email-code-identify-form")) {
                throw new AttemptFailed("no identify form");
            }
            String action = Forms.findAction(page.body()).orElseThrow(() -> new AttemptFailed("no form"));
            HttpRequest.Builder identify =
                    PlainBrowser.form(action, Map.of("email_code_op", "identify", "username", name));
            long t0 = System.nanoTime();
            HttpResponse<String> answer = browser.send(identify);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (answer.statusCode() != 200 || !answer.body().contains("kc-email-code-form")) {
                throw new AttemptFailed("identify answered " + answer.statusCode() + " without the code form");
            }
            if (answer.body().contains("alert-error") || answer.body().contains("pf-m-danger")) {
                throw new AttemptFailed("identify answered with an error (a send limit?)");
            }
            return ms;
        }
    }

    /** One browser per attempt against one realm's OPAQUE form. */
    private static final class Ke1Client extends RealmClient {
        Ke1Client(URI base, String realm) {
            super(base, realm);
        }

        /**
         * A new browser opens the login page and sends KE1 for {@code username}; with {@code finish}
         * it then sends KE3 (a random one when the KE2 does not authenticate, as the page does).
         *
         * @return how long the KE1 POST took to answer, ms
         */
        double attempt(String username, String password, boolean finish)
                throws AttemptFailed, IOException, InterruptedException {
            TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
            PlainBrowser browser = newBrowser();
            HttpResponse<String> page = open(browser);
            String action = Forms.findAction(page.body()).orElseThrow(() -> new AttemptFailed("no form"));
            OpaqueConfiguration config = OpaqueWire.identityKsfConfig(page.body(), AttemptFailed::new);
            OpaqueClient client = new OpaqueClient(config);
            OpaqueClient.LoginStart start = client.startLogin(password.getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder ke1 = PlainBrowser.form(
                    action, OpaqueWire.ke1Form(username, start.ke1().toBytes()));
            long t0 = System.nanoTime();
            HttpResponse<String> answer = browser.send(ke1);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (answer.statusCode() != 200 || !answer.body().contains("\"ke2\"")) {
                throw new AttemptFailed("KE1 answered " + answer.statusCode());
            }
            if (!finish) {
                return ms;
            }
            JsonNode json = JSON.readTree(answer.body());
            byte[] ke3;
            boolean authenticated = true;
            try {
                ke3 = client.finishLogin(
                                start.state(),
                                KE2.fromBytes(
                                        config.suite(), unb64(json.get("ke2").asText())),
                                Identities.NONE)
                        .ke3()
                        .toBytes();
            } catch (AuthenticationException | InvalidMessageException e) {
                ke3 = new byte[config.suite().ke3Length()];
                RANDOM.nextBytes(ke3);
                authenticated = false;
            }
            HttpResponse<String> done = browser.send(
                    PlainBrowser.form(json.get("action").asText(), Map.of("opaque_step", "ke3", "ke3", b64(ke3))));
            boolean loggedIn = done.statusCode() == 302
                    && done.headers().firstValue("Location").orElse("").startsWith(LoginDriver.REDIRECT_URI);
            if (authenticated != loggedIn) {
                throw new AttemptFailed("KE3 of " + (authenticated ? "an authenticated" : "a failed") + " KE2 answered "
                        + done.statusCode());
            }
            return ms;
        }
    }

    /** Attempts at one realm, each a new browser (cookie jar), all on one client's kept-alive connection. */
    private abstract static class RealmClient {
        private final URI base;
        private final String realm;
        private final HttpClient http = PlainBrowser.newHttpClient();

        RealmClient(URI base, String realm) {
            this.base = base;
            this.realm = realm;
        }

        PlainBrowser newBrowser() {
            return new PlainBrowser(http, base);
        }

        /** A new browser's authorization request, to the first page of the realm's flow. */
        HttpResponse<String> open(PlainBrowser browser) throws AttemptFailed, IOException, InterruptedException {
            HttpResponse<String> page = browser.get(LoginDriver.authorizationUrl(base, realm, new LoginDriver.Pkce()));
            if (page.statusCode() != 200) {
                throw new AttemptFailed("login page " + page.statusCode());
            }
            return page;
        }
    }

    private static String conditions(String header, Settings s) {
        return header + String.format(Locale.ROOT, """
                        %d warm-up rounds, then %d rounds of one attempt per path (paths interleaved, order rotated each round), \
                        one request at a time; only the named request is timed
                        brute-force settings of the realms: %s
                        """, s.warmup(), s.samples(), new java.util.TreeMap<>(BRUTE_FORCE));
    }
}
