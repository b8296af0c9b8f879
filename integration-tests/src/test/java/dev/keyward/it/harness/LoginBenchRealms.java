package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The load benchmark's three realms, made through the admin API, one per {@link LoginVariant}:
 * the same brute-force settings, the same public client (code + PKCE S256), the same browser-flow
 * structure (Keycloak's default browser flow, or a copy of it in which only the password form of
 * the forms subflow is replaced), and {@code users} users each. Users of the OPAQUE realm get their
 * records through the real registration path (required action keyward-opaque-register).
 */
public final class LoginBenchRealms {
    /** The demo realm's brute-force settings (realm-export), identical in all three realms. */
    public static final Map<String, Object> BRUTE_FORCE = Map.of(
            "bruteForceProtected",
            true,
            "permanentLockout",
            false,
            "failureFactor",
            5,
            "waitIncrementSeconds",
            60,
            "maxFailureWaitSeconds",
            900,
            "minimumQuickLoginWaitSeconds",
            60,
            "quickLoginCheckMilliSeconds",
            1000,
            "maxDeltaTimeSeconds",
            43200);

    private static final String PASSWORD_FORM = "auth-username-password-form";
    private static final String ENROL_FLOW = "bench-enrol";

    private final AdminApi admin;
    private final String prefix;
    private final int users;

    private LoginBenchRealms(AdminApi admin, String prefix, int users) {
        this.admin = admin;
        this.prefix = prefix;
        this.users = users;
    }

    public String realm(LoginVariant variant) {
        return prefix + "-" + variant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int users() {
        return users;
    }

    public static String username(int i) {
        return String.format("bench-user-%05d", i);
    }

    public static String password(int i) {
        return "bench-password-" + i;
    }

    /** Creates the realms and their users; {@code parallelism} admin calls / registrations at a time. */
    public static LoginBenchRealms create(
            KeycloakServer keycloak, AdminApi admin, String prefix, int users, int parallelism) throws Exception {
        return create(
                admin,
                prefix,
                users,
                parallelism,
                EnumSet.allOf(LoginVariant.class),
                () -> new LoginDriver(keycloak.baseUri()));
    }

    /**
     * Creates the realms of {@code variants} only, registering OPAQUE users through drivers from
     * {@code drivers} (e.g. ones that steer requests to the nodes of a cluster).
     */
    public static LoginBenchRealms create(
            AdminApi admin,
            String prefix,
            int users,
            int parallelism,
            Set<LoginVariant> variants,
            Supplier<LoginDriver> drivers)
            throws Exception {
        LoginBenchRealms realms = new LoginBenchRealms(admin, prefix, users);
        for (LoginVariant v : variants) {
            realms.createRealm(v);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (LoginVariant v : variants) {
                for (int i = 0; i < users; i++) {
                    int n = i;
                    created.add(pool.submit(() -> realms.createUser(v, n)));
                }
            }
            for (Future<?> f : created) {
                f.get();
            }
            // OPAQUE records through the wire protocol, while the realm's browser flow is the username form
            List<Future<?>> registered = new ArrayList<>();
            ThreadLocal<LoginDriver> perThread = ThreadLocal.withInitial(drivers);
            for (int i = 0; variants.contains(LoginVariant.OPAQUE) && i < users; i++) {
                int n = i;
                registered.add(pool.submit(() -> {
                    perThread.get().registerOpaque(realms.realm(LoginVariant.OPAQUE), username(n), password(n));
                    return null;
                }));
            }
            for (Future<?> f : registered) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        if (variants.contains(LoginVariant.OPAQUE)) {
            String opaqueFlow = "bench-" + LoginVariant.OPAQUE.authenticator;
            admin.updateRealm(realms.realm(LoginVariant.OPAQUE), Map.of("browserFlow", opaqueFlow));
        }
        return realms;
    }

    private void createRealm(LoginVariant v) {
        String realm = realm(v);
        if (v == LoginVariant.OPAQUE) {
            OpaqueRealm.create(admin, realm, BRUTE_FORCE);
        } else {
            Map<String, Object> rep = new HashMap<>(BRUTE_FORCE);
            rep.put("realm", realm);
            rep.put("enabled", true);
            admin.send("POST", "/admin/realms", rep);
        }
        admin.createPublicPkceClient(realm, LoginDriver.CLIENT_ID, List.of(LoginDriver.REDIRECT_URI));
        switch (v) {
            case PASSWORD -> {
                // Keycloak's default browser flow as it comes
            }
            case NO_CHECK ->
                admin.updateRealm(realm, Map.of("browserFlow", copyBrowserFlowWith(realm, v.authenticator)));
            case OPAQUE -> {
                copyBrowserFlowWith(realm, v.authenticator);
                // for enrolment only: users identify by name, then the required action sets their OPAQUE password
                String enrol = copyBrowserFlowWith(realm, LoginVariant.NO_CHECK.authenticator, ENROL_FLOW);
                admin.updateRealm(realm, Map.of("browserFlow", enrol));
            }
            default -> throw new IllegalArgumentException(v.toString());
        }
    }

    private String copyBrowserFlowWith(String realm, String authenticator) {
        return copyBrowserFlowWith(realm, authenticator, "bench-" + authenticator);
    }

    /**
     * Copies the realm's built-in browser flow to {@code alias} and replaces the password form in the
     * copy's forms subflow by {@code authenticator}, same requirement (REQUIRED) and priority; then
     * checks that the copy differs from the original in that one authenticator only.
     */
    private String copyBrowserFlowWith(String realm, String authenticator, String alias) {
        String flows = "/admin/realms/" + realm + "/authentication/flows/";
        admin.send("POST", flows + "browser/copy", Map.of("newName", alias));
        JsonNode executions = admin.get(flows + path(alias) + "/executions");
        Map<Integer, String> subflowAtLevel = new HashMap<>();
        JsonNode passwordForm = null;
        for (JsonNode e : executions) {
            if (e.path("authenticationFlow").asBoolean()) {
                subflowAtLevel.put(e.get("level").asInt(), e.get("displayName").asText());
            } else if (PASSWORD_FORM.equals(e.path("providerId").asText())) {
                passwordForm = e;
                break;
            }
        }
        if (passwordForm == null || passwordForm.get("level").asInt() < 1) {
            throw new IllegalStateException(
                    "no password form in a subflow of the browser flow of " + realm + ": " + executions);
        }
        String forms = subflowAtLevel.get(passwordForm.get("level").asInt() - 1);
        admin.send(
                "DELETE",
                "/admin/realms/" + realm + "/authentication/executions/"
                        + passwordForm.get("id").asText(),
                null);
        HttpResponse<String> added =
                admin.send("POST", flows + path(forms) + "/executions/execution", Map.of("provider", authenticator));
        String location = added.headers().firstValue("Location").orElseThrow();
        admin.send(
                "PUT",
                flows + path(forms) + "/executions",
                Map.of(
                        "id",
                        location.substring(location.lastIndexOf('/') + 1),
                        "requirement",
                        "REQUIRED",
                        "priority",
                        passwordForm.get("priority").asInt()));

        List<String> original = shape(admin.get(flows + "browser/executions"), null);
        List<String> copy = shape(admin.get(flows + path(alias) + "/executions"), authenticator);
        if (!original.equals(copy)) {
            throw new IllegalStateException("flow " + alias + " is not the browser flow with " + authenticator
                    + " for the password form:\n" + original + "\n" + copy);
        }
        return alias;
    }

    /** Level, position, requirement and authenticator of each execution; {@code replacement} reads as the password form. */
    private static List<String> shape(JsonNode executions, String replacement) {
        List<String> shape = new ArrayList<>();
        for (JsonNode e : executions) {
            String provider = e.path("authenticationFlow").asBoolean()
                    ? "subflow"
                    : e.path("providerId").asText();
            if (provider.equals(replacement)) {
                provider = PASSWORD_FORM;
            }
            shape.add(e.get("level").asInt() + "." + e.get("index").asInt() + " "
                    + e.get("requirement").asText() + " " + provider);
        }
        return shape;
    }

    private Void createUser(LoginVariant v, int i) {
        Map<String, Object> user = new HashMap<>(Map.of(
                "username",
                username(i),
                "email",
                username(i) + "@example.com",
                "emailVerified",
                true,
                "enabled",
                true,
                "firstName",
                "Bench",
                "lastName",
                "User " + i));
        switch (v) {
            case PASSWORD ->
                user.put("credentials", List.of(Map.of("type", "password", "value", password(i), "temporary", false)));
            case OPAQUE -> user.put("requiredActions", List.of(OpaqueRealm.REGISTER_ACTION));
            case NO_CHECK -> {
                // nothing to check
            }
            default -> throw new IllegalArgumentException(v.toString());
        }
        admin.send("POST", "/admin/realms/" + realm(v) + "/users", user);
        return null;
    }

    /**
     * What Keycloak stored for a password of the password realm: the hash algorithm and its
     * parameters from the credential's credentialData (the salt and hash are secretData, not shown).
     */
    public String passwordHash() {
        String realm = realm(LoginVariant.PASSWORD);
        JsonNode user = admin.get("/admin/realms/" + realm + "/users?exact=true&username=" + username(0))
                .get(0);
        JsonNode credentials =
                admin.get("/admin/realms/" + realm + "/users/" + user.get("id").asText() + "/credentials");
        for (JsonNode c : credentials) {
            if ("password".equals(c.get("type").asText())) {
                return c.get("credentialData").asText();
            }
        }
        throw new IllegalStateException("no password credential: " + credentials);
    }

    private static String path(String alias) {
        return URLEncoder.encode(alias, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
