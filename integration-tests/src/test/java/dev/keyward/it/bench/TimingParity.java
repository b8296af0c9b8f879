package dev.keyward.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.CookieJar;
import dev.keyward.it.harness.Forms;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.LoginBenchRealms;
import dev.keyward.it.harness.LoginDriver;
import dev.keyward.it.harness.LoginVariant;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueSuite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern SUITE = Pattern.compile("data-suite=\"([^\"]+)\"");

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
        String loadBefore = loadAverage();
        Table ke1 = opaque(keycloak, admin, realmPrefix, s);
        Table identify = emailCode(keycloak, admin, realmPrefix, s);
        List<Table> tables = new ArrayList<>(List.of(ke1, identify));
        return new Result(conditions(keycloak, admin, s, loadBefore), tables);
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
            Map<IdentifyPath, List<Double>> times = new LinkedHashMap<>();
            Map<IdentifyPath, List<String>> errors = new HashMap<>();
            List<IdentifyPath> order = new ArrayList<>(List.of(IdentifyPath.values()));
            for (int round = 0; round < s.warmup() + s.samples(); round++) {
                for (IdentifyPath p : order) {
                    try {
                        double ms = client.identify(
                                switch (p) {
                                    case KNOWN -> "timing-known-" + round % users;
                                    case UNKNOWN -> "timing-unknown-" + randomName();
                                    case UNVERIFIED -> "timing-unverified-" + round % users;
                                });
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
            for (IdentifyPath p : IdentifyPath.values()) {
                rows.add(samples(p.label, times.get(p), errors.get(p)));
            }
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

        Map<Ke1Path, List<Double>> times = new LinkedHashMap<>();
        Map<Ke1Path, List<String>> errors = new HashMap<>();
        List<Ke1Path> order = new ArrayList<>(List.of(Ke1Path.values()));
        for (int round = 0; round < s.warmup() + s.samples(); round++) {
            for (Ke1Path p : order) {
                try {
                    double ms = switch (p) {
                        case KNOWN -> client.attempt(known, LoginBenchRealms.password(0), true);
                        case UNKNOWN_FRESH -> client.attempt("timing-unknown-" + randomName(), "x", false);
                        case UNKNOWN_REPEATED -> client.attempt(repeated, "x", false);
                        case LOCKED -> client.attempt(locked, LoginBenchRealms.password(1), false);
                        case OVER_GUESS_LIMIT -> client.attempt(overLimit, LoginBenchRealms.password(2), false);
                    };
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
        for (Ke1Path p : Ke1Path.values()) {
            rows.add(samples(p.label, times.get(p), errors.get(p)));
        }
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
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toLowerCase(Locale.ROOT);
    }

    /** An attempt that did not answer as every path must (a KE2; for a known user, a login). */
    static final class AttemptFailed extends Exception {
        AttemptFailed(String message) {
            super(message);
        }
    }

    /** One browser per attempt against a realm whose flow starts with the email code's identify page. */
    private static final class IdentifyClient extends Browser {
        IdentifyClient(URI base, String realm) {
            super(base, realm);
        }

        /** @return how long the identify POST took to answer, ms */
        double identify(String name) throws AttemptFailed, IOException, InterruptedException {
            CookieJar cookies = new CookieJar();
            HttpResponse<String> page = open(cookies);
            if (!page.body().contains("kc-email-code-identify-form")) {
                throw new AttemptFailed("no identify form");
            }
            String action = Forms.findAction(page.body()).orElseThrow(() -> new AttemptFailed("no form"));
            HttpRequest.Builder identify = post(action, Map.of("email_code_op", "identify", "username", name));
            long t0 = System.nanoTime();
            HttpResponse<String> answer = send(cookies, identify);
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
    private static final class Ke1Client extends Browser {
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
            CookieJar cookies = new CookieJar();
            HttpResponse<String> page = open(cookies);
            String action = Forms.findAction(page.body()).orElseThrow(() -> new AttemptFailed("no form"));
            OpaqueConfiguration config = config(page);
            OpaqueClient client = new OpaqueClient(config);
            OpaqueClient.LoginStart start = client.startLogin(password.getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder ke1 = post(
                    action,
                    Map.of(
                            "opaque_step",
                            "ke1",
                            "username",
                            username,
                            "ke1",
                            b64(start.ke1().toBytes())));
            long t0 = System.nanoTime();
            HttpResponse<String> answer = send(cookies, ke1);
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
            HttpResponse<String> done =
                    send(cookies, post(json.get("action").asText(), Map.of("opaque_step", "ke3", "ke3", b64(ke3))));
            boolean loggedIn = done.statusCode() == 302
                    && done.headers().firstValue("Location").orElse("").startsWith(LoginDriver.REDIRECT_URI);
            if (authenticated != loggedIn) {
                throw new AttemptFailed("KE3 of " + (authenticated ? "an authenticated" : "a failed") + " KE2 answered "
                        + done.statusCode());
            }
            return ms;
        }

        private static OpaqueConfiguration config(HttpResponse<String> page) throws AttemptFailed {
            Matcher m = SUITE.matcher(page.body());
            if (!m.find()) {
                throw new AttemptFailed("no data-suite on the OPAQUE page");
            }
            try {
                return new OpaqueConfiguration(OpaqueSuite.fromIdentifier(m.group(1)), new byte[0], Ksf.IDENTITY);
            } catch (InvalidMessageException e) {
                throw new AttemptFailed("unknown suite " + m.group(1));
            }
        }
    }

    /** A browser without JavaScript: a cookie jar per attempt, one kept-alive connection for all. */
    private abstract static class Browser {
        private final URI base;
        private final String realm;
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        Browser(URI base, String realm) {
            this.base = base;
            this.realm = realm;
        }

        /** A new browser's authorization request, to the first page of the realm's flow. */
        HttpResponse<String> open(CookieJar cookies) throws AttemptFailed, IOException, InterruptedException {
            HttpResponse<String> page = follow(
                    cookies,
                    send(
                            cookies,
                            HttpRequest.newBuilder(URI.create(
                                            LoginDriver.authorizationUrl(base, realm, new LoginDriver.Pkce())))
                                    .GET()));
            if (page.statusCode() != 200) {
                throw new AttemptFailed("login page " + page.statusCode());
            }
            return page;
        }

        HttpRequest.Builder post(String url, Map<String, String> fields) {
            return HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(fields)));
        }

        HttpResponse<String> send(CookieJar cookies, HttpRequest.Builder request)
                throws IOException, InterruptedException {
            String cookie = cookies.header();
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            HttpResponse<String> r =
                    http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            cookies.absorb(r.headers().allValues("Set-Cookie"));
            return r;
        }

        HttpResponse<String> follow(CookieJar cookies, HttpResponse<String> r)
                throws IOException, InterruptedException {
            for (int hops = 0;
                    hops < 5
                            && r.statusCode() == 302
                            && r.headers().firstValue("Location").orElse("").startsWith(base.toString());
                    hops++) {
                r = send(
                        cookies,
                        HttpRequest.newBuilder(URI.create(
                                        r.headers().firstValue("Location").get()))
                                .GET());
            }
            return r;
        }
    }

    private static String conditions(KeycloakServer keycloak, AdminApi admin, Settings s, String loadBefore) {
        JsonNode system = admin.serverInfo().get("systemInfo");
        return String.format(
                Locale.ROOT,
                """
                Timing parity, %s
                Keycloak %s (kc.sh start-dev%s), Keycloak JVM %s; database: %s
                machine: %d cores, load average before setup %s, after the run %s; the driver runs on the same machine
                %d warm-up rounds, then %d rounds of one attempt per path (paths interleaved, order rotated each round), \
                one request at a time; only the named request is timed
                brute-force settings of the realms: %s
                """,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                system.path("version").asText(),
                ItConfig.get("keyward.it.keycloak.args", "").isEmpty()
                        ? ""
                        : " " + ItConfig.get("keyward.it.keycloak.args", ""),
                system.path("javaVersion").asText(),
                keycloak.database().describe(),
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAverage(),
                s.warmup(),
                s.samples(),
                new java.util.TreeMap<>(BRUTE_FORCE));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }
}
