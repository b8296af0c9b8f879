package dev.keyward.common;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.common.ClientConnection;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.ThemeManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.theme.Theme;

/**
 * One login in a unit test: a realm, its users, the cluster store, one authentication session
 * and whatever providers the authenticator asks for, with a fresh {@link AuthenticationFlowContext}
 * per request ({@link #get}, {@link #post}) that records how the step answered: the outcome,
 * the page (template, error, info, attributes), events and brute-force reports. Nothing of
 * Keycloak runs here; the integration tests run the same steps in Keycloak.
 */
public final class FakeFlow {
    /** How a step answered one request. */
    public enum Outcome {
        NONE,
        CHALLENGE,
        FORCE_CHALLENGE,
        FAILURE_CHALLENGE,
        SUCCESS,
        FAILURE,
        ATTEMPTED
    }

    /** A page a step rendered. */
    public record Page(String template, String error, String info, String success, Map<String, Object> attributes) {}

    /** An event a step sent. */
    public record Event(String type, String error, String userId, Map<String, String> details) {}

    /** A user of the realm, as the fake store keeps it. */
    public static final class User {
        public final String id;
        public String username;
        public String email;
        public boolean enabled = true;
        public boolean emailVerified = true;
        /** Credential types the user has, as {@code isConfiguredFor} answers. */
        public final Set<String> configured = new HashSet<>();
        /** Stored credentials by type. */
        public final Map<String, List<CredentialModel>> stored = new HashMap<>();
        /** The Keycloak password {@code isValid} accepts, or null. */
        public String password;

        public final Set<String> requiredActions = new HashSet<>();
        public final Map<String, List<String>> attributes = new HashMap<>();
        private UserModel model;

        User(String id, String username, String email) {
            this.id = id;
            this.username = username;
            this.email = email;
        }

        public UserModel model() {
            if (model == null) {
                SubjectCredentialManager credentials = Fakes.of(
                        SubjectCredentialManager.class,
                        Fakes.answers()
                                .on("isConfiguredFor", a -> configured.contains((String) a[0]))
                                .on(
                                        "getStoredCredentialsByTypeStream",
                                        a -> stored.getOrDefault((String) a[0], List.of()).stream())
                                .on("isValid", a -> password != null && validPassword(a))
                                .on("updateStoredCredential", a -> {
                                    CredentialModel updated = (CredentialModel) a[0];
                                    stored.computeIfPresent(
                                            updated.getType(),
                                            (type, list) -> list.stream()
                                                    .map(c -> c.getId() != null
                                                                    && c.getId().equals(updated.getId())
                                                            ? updated
                                                            : c)
                                                    .toList());
                                    return null;
                                }));
                model = Fakes.of(
                        UserModel.class,
                        Fakes.answers()
                                .on("getId", a -> id)
                                .on("getUsername", a -> username)
                                .on("getEmail", a -> email)
                                .on("isEnabled", a -> enabled)
                                .on("isEmailVerified", a -> emailVerified)
                                .on("setEmailVerified", a -> {
                                    emailVerified = (Boolean) a[0];
                                    return null;
                                })
                                .on("credentialManager", a -> credentials)
                                .on("getRequiredActionsStream", a -> List.copyOf(requiredActions).stream())
                                .on("addRequiredAction", a -> requiredActions.add(String.valueOf(a[0])) ? null : null)
                                .on(
                                        "removeRequiredAction",
                                        a -> requiredActions.remove(String.valueOf(a[0])) ? null : null)
                                .on("getFirstAttribute", a -> {
                                    List<String> v = attributes.get((String) a[0]);
                                    return v == null || v.isEmpty() ? null : v.get(0);
                                })
                                .on(
                                        "getAttributeStream",
                                        a -> attributes.getOrDefault((String) a[0], List.of()).stream())
                                .on("setSingleAttribute", a -> {
                                    attributes.put((String) a[0], List.of((String) a[1]));
                                    return null;
                                }));
            }
            return model;
        }

        private boolean validPassword(Object[] args) {
            for (Object arg : args) {
                Object one = arg instanceof Object[] many && many.length > 0 ? many[0] : arg;
                if (one instanceof org.keycloak.credential.CredentialInput input) {
                    return password.equals(input.getChallengeResponse());
                }
                if (one instanceof List<?> list
                        && !list.isEmpty()
                        && list.get(0) instanceof org.keycloak.credential.CredentialInput input) {
                    return password.equals(input.getChallengeResponse());
                }
            }
            return false;
        }
    }

    // ---- the realm and its state ---------------------------------------------------------------

    public final MemoryStore store = new MemoryStore();
    public final Map<String, User> users = new LinkedHashMap<>();
    public final Map<String, String> authNotes = new HashMap<>();
    public final Map<String, String> clientNotes = new HashMap<>();
    public final Map<String, String> userSessionNotes = new HashMap<>();
    /** Providers by type, and by {@code type.getName() + ":" + id}. */
    public final Map<String, Object> providers = new HashMap<>();
    /** Ids of users the brute-force protector reports as temporarily locked. */
    public final Set<String> locked = new HashSet<>();
    /** Each failure reported to the brute-force protector: user id and categories. */
    public final List<String> failures = new ArrayList<>();

    public final List<Event> events = new ArrayList<>();
    public final Properties messages = new Properties();
    public boolean bruteForceProtected = true;
    public boolean loginWithEmailAllowed = true;
    public int maxDeltaTimeSeconds = 43_200;
    public int failureFactor = 5;
    public String flowPath = "authenticate";
    public String remoteAddr = "192.0.2.10";
    public AuthenticatorConfigModel config;
    /** What {@code session.keys()} returns (the realm's keys), or null. */
    public org.keycloak.models.KeyManager keys;

    public final AuthenticationExecutionModel execution = new AuthenticationExecutionModel();

    /** The flow's user between requests (what earlier steps set). */
    public User user;

    // ---- the last request's answer -------------------------------------------------------------

    public Outcome outcome = Outcome.NONE;
    public Response response;
    public Page page;
    public AuthenticationFlowError error;
    public String successType;
    /** The event builder of the last request (its details, whether or not it was sent). */
    public EventBuilder event;

    /** The realm's answers: a test adds what its rule reads (flows, policies, SMTP settings). */
    public final Fakes.Answers realmAnswers = Fakes.answers();

    private final AtomicInteger codes = new AtomicInteger();
    private final RealmModel realm;
    private final KeycloakSession session;
    private final AuthenticationSessionModel authSession;

    public FakeFlow() {
        execution.setId("exec-1");
        realm = Fakes.of(
                RealmModel.class,
                realmAnswers
                        .returning("getId", "realm-id")
                        .returning("getName", "test")
                        .on("isBruteForceProtected", a -> bruteForceProtected)
                        .on("isLoginWithEmailAllowed", a -> loginWithEmailAllowed)
                        .on("getMaxDeltaTimeSeconds", a -> maxDeltaTimeSeconds)
                        .on("getFailureFactor", a -> failureFactor));
        UserProvider userProvider = Fakes.of(
                UserProvider.class,
                Fakes.answers()
                        .on("getUserById", a -> model(users.get((String) a[1])))
                        .on("getUserByUsername", a -> model(find(u -> u.username.equalsIgnoreCase((String) a[1]))))
                        .on(
                                "getUserByEmail",
                                a -> model(find(u -> u.email != null && u.email.equalsIgnoreCase((String) a[1])))));
        ThemeManager themes = Fakes.of(
                ThemeManager.class,
                Fakes.answers()
                        .on(
                                "getTheme",
                                a -> Fakes.of(Theme.class, Fakes.answers().on("getEnhancedMessages", b -> messages))));
        KeycloakContext keycloakContext = Fakes.of(
                KeycloakContext.class,
                Fakes.answers().on("getRealm", a -> realm).returning("resolveLocale", Locale.ENGLISH));
        session = Fakes.of(
                KeycloakSession.class,
                Fakes.answers()
                        .on("users", a -> userProvider)
                        .on("singleUseObjects", a -> store)
                        .on("getContext", a -> keycloakContext)
                        .on("theme", a -> themes)
                        .on("keys", a -> keys)
                        .on("getKeycloakSessionFactory", a -> Fakes.of(KeycloakSessionFactory.class, Fakes.answers()))
                        .on(
                                "getProvider",
                                a -> a.length == 1
                                        ? providers.get(((Class<?>) a[0]).getName())
                                        : providers.get(((Class<?>) a[0]).getName() + ":" + a[1])));
        RootAuthenticationSessionModel root =
                Fakes.of(RootAuthenticationSessionModel.class, Fakes.answers().returning("getId", "root-1"));
        authSession = Fakes.of(
                AuthenticationSessionModel.class,
                Fakes.answers()
                        .on("getAuthNote", a -> authNotes.get((String) a[0]))
                        .on("setAuthNote", a -> authNotes.put((String) a[0], (String) a[1]) == null ? null : null)
                        .on("removeAuthNote", a -> authNotes.remove((String) a[0]) == null ? null : null)
                        .on("getClientNote", a -> clientNotes.get((String) a[0]))
                        .on("setClientNote", a -> clientNotes.put((String) a[0], (String) a[1]) == null ? null : null)
                        .on("removeClientNote", a -> clientNotes.remove((String) a[0]) == null ? null : null)
                        .on("getUserSessionNotes", a -> userSessionNotes)
                        .on(
                                "setUserSessionNote",
                                a -> (a[1] == null
                                                        ? userSessionNotes.remove((String) a[0])
                                                        : userSessionNotes.put((String) a[0], (String) a[1]))
                                                == null
                                        ? null
                                        : null)
                        .on("getParentSession", a -> root)
                        .returning("getTabId", "tab-1")
                        .on("getRealm", a -> realm));
    }

    public User addUser(String id, String username, String email) {
        User u = new User(id, username, email);
        users.put(id, u);
        return u;
    }

    /** Registers what {@code session.getProvider(type)} returns. */
    public <T> FakeFlow provide(Class<T> type, T provider) {
        providers.put(type.getName(), provider);
        return this;
    }

    /** Registers what {@code session.getProvider(type, id)} returns. */
    public <T> FakeFlow provide(Class<T> type, String id, T provider) {
        providers.put(type.getName() + ":" + id, provider);
        return this;
    }

    public RealmModel realm() {
        return realm;
    }

    public KeycloakSession session() {
        return session;
    }

    /** A GET of the step's page: the context for {@code authenticate}. */
    public AuthenticationFlowContext get() {
        return request("GET", new MultivaluedHashMap<>());
    }

    /** A form POST to the step: the context for {@code action}. */
    public AuthenticationFlowContext post(Map<String, String> form) {
        MultivaluedHashMap<String, String> fields = new MultivaluedHashMap<>();
        form.forEach(fields::add);
        return request("POST", fields);
    }

    /** The types of the brute-force failures reported for {@code userId}. */
    public long failuresOf(String userId) {
        return failures.stream().filter(f -> f.startsWith(userId + ":")).count();
    }

    private AuthenticationFlowContext request(String method, MultivaluedMap<String, String> form) {
        outcome = Outcome.NONE;
        response = null;
        page = null;
        error = null;
        successType = null;
        HttpRequest http = Fakes.of(
                HttpRequest.class,
                Fakes.answers().returning("getHttpMethod", method).returning("getDecodedFormParameters", form));
        ClientConnection connection =
                Fakes.of(ClientConnection.class, Fakes.answers().on("getRemoteAddr", a -> remoteAddr));
        BruteForceProtector protector = Fakes.of(
                BruteForceProtector.class,
                Fakes.answers()
                        .on("failedLogin", a -> failures.add(((UserModel) a[1]).getId() + ":" + a[4]) ? null : null)
                        .on("isTemporarilyDisabled", a -> locked.contains(((UserModel) a[2]).getId())));
        EventBuilder event = new RecordingEvents(realm, session, events);
        this.event = event;
        return Fakes.of(
                AuthenticationFlowContext.class,
                Fakes.answers()
                        .on("getRealm", a -> realm)
                        .on("getSession", a -> session)
                        .on("getUser", a -> user == null ? null : user.model())
                        .on("setUser", a -> {
                            user = users.get(((UserModel) a[0]).getId());
                            return null;
                        })
                        .on("clearUser", a -> {
                            user = null;
                            return null;
                        })
                        .on("getAuthenticationSession", a -> authSession)
                        .on("getHttpRequest", a -> http)
                        .on("getEvent", a -> event)
                        .on("form", a -> form())
                        .on("getExecution", a -> execution)
                        .on("getAuthenticatorConfig", a -> config)
                        .on("getActionUrl", a -> URI.create("https://kc.test/login-actions/authenticate?code=" + a[0]))
                        .on("generateAccessCode", a -> "code-" + codes.incrementAndGet())
                        .on("getProtector", a -> protector)
                        .on("getConnection", a -> connection)
                        .on("getFlowPath", a -> flowPath)
                        .on("challenge", a -> answer(Outcome.CHALLENGE, (Response) a[0]))
                        .on("forceChallenge", a -> answer(Outcome.FORCE_CHALLENGE, (Response) a[0]))
                        .on("failureChallenge", a -> {
                            error = (AuthenticationFlowError) a[0];
                            return answer(Outcome.FAILURE_CHALLENGE, (Response) a[1]);
                        })
                        .on("failure", a -> {
                            error = (AuthenticationFlowError) a[0];
                            return answer(Outcome.FAILURE, a.length > 1 ? (Response) a[1] : null);
                        })
                        .on("success", a -> {
                            successType = a.length > 0 ? (String) a[0] : null;
                            return answer(Outcome.SUCCESS, null);
                        })
                        .on("attempted", a -> answer(Outcome.ATTEMPTED, null)));
    }

    private Object answer(Outcome o, Response r) {
        outcome = o;
        response = r;
        return null;
    }

    private LoginFormsProvider form() {
        Map<String, Object> attributes = new HashMap<>();
        String[] texts = new String[3];
        Response.Status[] status = {Response.Status.OK};
        return Fakes.of(
                LoginFormsProvider.class,
                Fakes.answers()
                        .on("setAttribute", a -> {
                            attributes.put((String) a[0], a[1]);
                            return null;
                        })
                        .on("setError", a -> {
                            texts[0] = (String) a[0];
                            return null;
                        })
                        .on("setInfo", a -> {
                            texts[1] = (String) a[0];
                            return null;
                        })
                        .on("setSuccess", a -> {
                            texts[2] = (String) a[0];
                            return null;
                        })
                        .on("setStatus", a -> {
                            status[0] = (Response.Status) a[0];
                            return null;
                        })
                        .on("createForm", a -> {
                            page = new Page((String) a[0], texts[0], texts[1], texts[2], Map.copyOf(attributes));
                            return Response.status(status[0]).entity(page).build();
                        })
                        .on("createErrorPage", a -> {
                            page = new Page("error.ftl", texts[0], texts[1], texts[2], Map.copyOf(attributes));
                            return Response.status((Response.Status) a[0])
                                    .entity(page)
                                    .build();
                        }));
    }

    private User find(java.util.function.Predicate<User> match) {
        return users.values().stream().filter(match).findFirst().orElse(null);
    }

    private static UserModel model(User u) {
        return u == null ? null : u.model();
    }
}
