package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.keyward.common.MessageBundles;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.it.harness.VaultApi;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * realm-export/keyward-realm.json was imported at start (--import-realm) and is what docs/running.md
 * ("The realm") promises: settings, the browser flow (OPAQUE form, or an email code) and the reset-credentials
 * flow, required actions, login and email themes, security headers and the demo client.
 *
 * <p>The production realm, realm-export/keyward-production.json, is imported the way
 * docker-compose.yml does it, into a Keycloak of its own (started by the first test that needs it):
 * as {@code data/import/keyward-realm.json}, alone, with the {@code KEYWARD_SMTP_*} environment
 * variables set; docs/installing.md ("Production realm") is what it promises.
 */
@KeywardTest
public class RealmImportIT {
    static final String REALM = "keyward";
    public static final String CLIENT = "keyward-demo";
    static final URI DEMO_REDIRECT = URI.create("http://localhost:8081/callback");
    /** The client scopes that grant the header proxy and the vault's user endpoint. */
    static final String API_TOKEN_CLIENT = "keyward-api-tokens";
    /** The public client of the user's API-token page. */
    static final String TOKEN_PAGE_CLIENT = "keyward-api-tokens-page";

    static final List<String> PACK_SCOPES =
            List.of(AdminApi.PROXY_SCOPE, AdminApi.VAULT_SCOPE, AdminApi.API_TOKENS_SCOPE);
    /** The export's keyward-email-code config: EmailCodeSettings.DEFAULTS under their keys (the provider is not a dependency here). */
    static final Map<String, String> EMAIL_CODE_DEFAULTS = Map.of(
            "codeLength",
            "6",
            "codeAlphabet",
            "digits",
            "codeLifetimeSeconds",
            "600",
            "maxAttempts",
            "5",
            "resendCooldownSeconds",
            "60",
            "maxSendsPerHour",
            "5",
            "markEmailVerified",
            "false",
            "requestDetailsInEmail",
            "false");

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void discoveryDocumentIsServed() throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(keycloak.realmUri(REALM)));
        assertEquals(keycloak.realmUri(REALM).toString(), metadata.getIssuer().getValue());
        assertTrue(metadata.getCodeChallengeMethods().contains(CodeChallengeMethod.S256));
        assertTrue(metadata.getAuthorizationEndpointURI()
                .toString()
                .startsWith(keycloak.realmUri(REALM) + "/protocol/openid-connect/"));
    }

    @Test
    void realmSettings() {
        JsonNode realm = admin.realm(REALM);
        assertEquals("Keyward demo", realm.get("displayName").asText());
        assertTrue(realm.get("bruteForceProtected").asBoolean());
        assertFalse(realm.get("permanentLockout").asBoolean());
        assertEquals(5, realm.get("failureFactor").asInt());
        assertFalse(realm.get("registrationAllowed").asBoolean());
        assertTrue(realm.get("loginWithEmailAllowed").asBoolean());
        assertTrue(realm.get("resetPasswordAllowed").asBoolean());
        assertEquals("keyward", realm.get("loginTheme").asText());
        assertEquals("keyward", realm.get("emailTheme").asText());
        assertEquals("keyward browser", realm.get("browserFlow").asText());
        assertEquals(
                "keyward reset credentials", realm.get("resetCredentialsFlow").asText());
        assertEquals(86400, realm.get("ssoSessionIdleTimeout").asInt());
        assertEquals(604800, realm.get("ssoSessionMaxLifespan").asInt());
        assertEquals(
                "{\"federated\":0,\"single-factor\":1,\"two-factor\":2}",
                realm.path("attributes").path("acr.loa.map").asText());
        assertFalse(realm.path("attributes").has("CreateDefaultClientScopes"), "an import-only switch was stored");
    }

    /** The amr mapper: a client scope of the export, a default scope for new clients and on the demo client, next to Keycloak's own. */
    @Test
    void amrClientScope() {
        List<String> defaults = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/default-default-client-scopes")
                .forEach(c -> defaults.add(c.path("name").asText()));
        assertTrue(
                defaults.containsAll(List.of("keyward-amr", "profile", "email", "acr", "basic")), defaults::toString);
        JsonNode client = admin.get("/admin/realms/" + REALM + "/clients?clientId=" + CLIENT)
                .get(0);
        List<String> onClient = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/clients/" + client.path("id").asText() + "/default-client-scopes")
                .forEach(c -> onClient.add(c.path("name").asText()));
        assertTrue(onClient.containsAll(List.of("keyward-amr", "acr")), onClient::toString);
    }

    /**
     * Issue 17, item 6: the pack's client scopes, each named in the token's {@code scope} claim and
     * adding its audience. The demo client may ask for them (optional scopes); the exchange client
     * offers two to API tokens and the token page's client holds only {@code keyward-api-tokens}; no
     * other client holds them, they are no realm defaults, and no default role or audience client
     * stands in for them.
     */
    @Test
    void onlyTheDemoClientMayAskForThePacksScopes() {
        String realmPath = "/admin/realms/" + REALM;
        for (String name : PACK_SCOPES) {
            JsonNode scope = admin.get(realmPath + "/client-scopes/" + admin.clientScopeId(REALM, name));
            assertEquals(
                    "true",
                    scope.path("attributes").path("include.in.token.scope").asText(),
                    name);
            List<JsonNode> audiences = new ArrayList<>();
            scope.path("protocolMappers").forEach(m -> {
                if ("oidc-audience-mapper".equals(m.path("protocolMapper").asText())) {
                    audiences.add(m.path("config"));
                }
            });
            assertEquals(1, audiences.size(), name + " " + scope);
            assertEquals(name, audiences.get(0).path("included.custom.audience").asText(), name);
            assertEquals("true", audiences.get(0).path("access.token.claim").asText(), name);
            assertEquals("false", audiences.get(0).path("id.token.claim").asText(), name);
        }
        List<String> realmDefaults = names(realmPath + "/default-default-client-scopes");
        List<String> realmOptionals = names(realmPath + "/default-optional-client-scopes");
        assertTrue(realmDefaults.stream().noneMatch(PACK_SCOPES::contains), realmDefaults::toString);
        assertTrue(realmOptionals.stream().noneMatch(PACK_SCOPES::contains), realmOptionals::toString);

        for (JsonNode client : admin.get(realmPath + "/clients")) {
            String clientId = client.path("clientId").asText();
            String path = realmPath + "/clients/" + client.path("id").asText();
            List<String> defaults = names(path + "/default-client-scopes");
            List<String> optionals = names(path + "/optional-client-scopes");
            if (TOKEN_PAGE_CLIENT.equals(clientId)) {
                // the token page: its tokens manage API tokens and nothing else; its page is its only redirect
                assertEquals(
                        List.of("acr", "basic", AdminApi.API_TOKENS_SCOPE),
                        defaults.stream().sorted().toList(),
                        clientId + " " + defaults);
                assertEquals(List.of(), optionals, clientId + " " + optionals);
                assertFalse(client.path("fullScopeAllowed").asBoolean(), clientId);
                assertTrue(client.path("publicClient").asBoolean(), clientId);
                assertTrue(client.path("standardFlowEnabled").asBoolean(), clientId);
                assertTrue(client.path("alwaysDisplayInConsole").asBoolean(), clientId);
                for (String flow :
                        List.of("implicitFlowEnabled", "directAccessGrantsEnabled", "serviceAccountsEnabled")) {
                    assertFalse(client.path(flow).asBoolean(), clientId + " " + flow);
                }
                assertEquals(
                        "S256",
                        client.path("attributes")
                                .path("pkce.code.challenge.method")
                                .asText(),
                        clientId);
                assertEquals(1, client.path("redirectUris").size(), clientId);
                assertEquals(
                        List.of("/realms/" + REALM + "/api-tokens/page"),
                        List.of(client.path("redirectUris").get(0).asText()),
                        clientId);
                continue;
            }
            assertTrue(defaults.stream().noneMatch(PACK_SCOPES::contains), clientId + " " + defaults);
            if (API_TOKEN_CLIENT.equals(clientId)) {
                // the API-token exchange client: a token may carry the proxy's and the vault's scopes, never the
                // one that manages tokens; full scope off, no flow of its own
                assertEquals(
                        List.of(AdminApi.PROXY_SCOPE, AdminApi.VAULT_SCOPE),
                        optionals.stream()
                                .filter(PACK_SCOPES::contains)
                                .sorted()
                                .toList(),
                        clientId + " " + optionals);
                assertEquals(List.of("basic"), defaults, clientId + " " + defaults);
                assertFalse(client.path("fullScopeAllowed").asBoolean(), clientId);
                assertTrue(client.path("publicClient").asBoolean(), clientId);
                for (String flow : List.of(
                        "standardFlowEnabled",
                        "implicitFlowEnabled",
                        "directAccessGrantsEnabled",
                        "serviceAccountsEnabled")) {
                    assertFalse(client.path(flow).asBoolean(), clientId + " " + flow);
                }
                continue;
            }
            assertEquals(CLIENT.equals(clientId), optionals.containsAll(PACK_SCOPES), clientId + " " + optionals);
            assertTrue(
                    CLIENT.equals(clientId) || optionals.stream().noneMatch(PACK_SCOPES::contains),
                    clientId + " " + optionals);
            if (CLIENT.equals(clientId)) {
                // the export names the demo's scopes in full (an import replaces them): none of Keycloak's own may be
                // missing
                List<String> openid = new ArrayList<>();
                admin.get(realmPath + "/default-default-client-scopes").forEach(c -> {
                    if ("openid-connect".equals(c.path("protocol").asText())) {
                        openid.add(c.path("name").asText());
                    }
                });
                assertEquals(new java.util.TreeSet<>(openid), new java.util.TreeSet<>(defaults));
                List<String> expected = new ArrayList<>(realmOptionals);
                expected.addAll(PACK_SCOPES);
                assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(optionals));
            }
        }
        assertEquals(0, admin.get(realmPath + "/clients?clientId=keyward-proxy").size(), "the old audience client");
        List<String> composites = names(realmPath + "/roles/default-roles-keyward/composites");
        assertFalse(composites.contains("proxy-user"), composites::toString);
        assertTrue(
                composites.containsAll(
                        List.of("offline_access", "uma_authorization", "view-profile", "manage-account")),
                composites::toString);
    }

    /**
     * A client an admin adds to the realm later holds none of the pack's scopes: its tokens are
     * refused at both endpoints, and it cannot even ask for a scope, until an admin assigns it.
     */
    @Test
    void aClientAddedLaterHasNoAccessUntilAnAdminAssignsTheScope() throws Exception {
        String clientId = "later-app-it";
        String secret = KeycloakServer.randomSecret();
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/clients",
                Map.of(
                        "clientId",
                        clientId,
                        "publicClient",
                        false,
                        "secret",
                        secret,
                        "serviceAccountsEnabled",
                        true,
                        "standardFlowEnabled",
                        false,
                        "directAccessGrantsEnabled",
                        false));
        try {
            HttpResponse<String> asking = clientCredentials(clientId, secret, AdminApi.VAULT_SCOPE);
            assertEquals(400, asking.statusCode(), asking.body());
            assertTrue(asking.body().contains("invalid_scope"), asking.body());

            String token = accessToken(clientCredentials(clientId, secret, null));
            assertFalse(
                    VaultApi.claims(token).path("scope").asText().contains("keyward"),
                    VaultApi.claims(token).toString());
            assertTrue(
                    VaultApi.audiences(token).stream().noneMatch(PACK_SCOPES::contains),
                    VaultApi.audiences(token)::toString);
            for (String path : List.of("keyward-vault/credentials", "header-proxy/any/x")) {
                HttpResponse<String> refused = http.send(
                        HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/" + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), path + " " + refused.body());
                assertTrue(refused.body().contains("insufficient_scope"), path + " " + refused.body());
            }

            admin.assignClientScopes(REALM, clientId, false, List.of(AdminApi.VAULT_SCOPE));
            String granted = accessToken(clientCredentials(clientId, secret, AdminApi.VAULT_SCOPE));
            assertTrue(VaultApi.audiences(granted).contains("keyward-vault"), VaultApi.audiences(granted)::toString);
            HttpResponse<String> list = http.send(
                    HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/keyward-vault/credentials"))
                            .header("Authorization", "Bearer " + granted)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode(), list.body());
        } finally {
            admin.send(
                    "DELETE",
                    "/admin/realms/" + REALM + "/clients/"
                            + admin.client(REALM, clientId).get("id").asText(),
                    null);
        }
    }

    private HttpResponse<String> clientCredentials(String clientId, String secret, String scope) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret="
                + java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8)
                + (scope == null ? "" : "&scope=" + scope);
        return http.send(
                HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String accessToken(HttpResponse<String> answer) throws Exception {
        assertEquals(200, answer.statusCode(), answer.body());
        String token = VaultApi.JSON.readTree(answer.body()).get("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, token);
        return token;
    }

    private static List<String> names(String path) {
        List<String> names = new ArrayList<>();
        admin.get(path).forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    /**
     * Passkeys: the passwordless WebAuthn policy asks for a discoverable key and user verification
     * (a passkey stands for two factors on its own), names the realm to the device as "Keyward",
     * and has passkeys on, which makes a registered passkey a usable sign-in method; users can
     * register one (required action webauthn-register-passwordless, also as kc_action).
     */
    @Test
    void passkeyPolicyRequiresADiscoverableKeyAndUserVerification() {
        JsonNode realm = admin.realm(REALM);
        assertEquals(
                "required",
                realm.get("webAuthnPolicyPasswordlessUserVerificationRequirement")
                        .asText());
        assertEquals(
                "required", realm.get("webAuthnPolicyPasswordlessResidentKey").asText());
        // residentKey supersedes the deprecated requireResidentKey, which Keycloak warns about whenever it reads the
        // policy
        assertEquals(
                "not specified",
                realm.get("webAuthnPolicyPasswordlessRequireResidentKey").asText());
        assertEquals(
                "Keyward", realm.get("webAuthnPolicyPasswordlessRpEntityName").asText());
        assertTrue(realm.get("webAuthnPolicyPasswordlessPasskeysEnabled").asBoolean());
        JsonNode register =
                admin.get("/admin/realms/" + REALM + "/authentication/required-actions/webauthn-register-passwordless");
        assertTrue(register.get("enabled").asBoolean());
        assertFalse(register.get("defaultAction").asBoolean());
    }

    /**
     * Every language of Keycloak's login theme is on, English by default; the keyward themes offer
     * the same list (their theme.properties), so the admin console shows all of them.
     */
    @Test
    void everyLoginLanguageIsOffered() {
        JsonNode realm = admin.realm(REALM);
        assertTrue(realm.get("internationalizationEnabled").asBoolean());
        assertEquals("en", realm.get("defaultLocale").asText());
        List<String> supported = new ArrayList<>();
        realm.get("supportedLocales").forEach(l -> supported.add(l.asText()));
        assertEquals(new TreeSet<>(MessageBundles.KEYCLOAK_LOGIN_LOCALES), new TreeSet<>(supported));
        JsonNode themes = admin.serverInfo().path("themes");
        for (String type : List.of("login", "email")) {
            List<String> locales = new ArrayList<>();
            themes.path(type).forEach(t -> {
                if ("keyward".equals(t.path("name").asText())) {
                    t.path("locales").forEach(l -> locales.add(l.asText()));
                }
            });
            assertEquals(new TreeSet<>(MessageBundles.KEYCLOAK_LOGIN_LOCALES), new TreeSet<>(locales), type + " theme");
        }
    }

    /** The themes the realm names are installed: for a missing one Keycloak logs an error and renders its built-in theme. */
    @Test
    void realmThemesAreInstalled() {
        JsonNode realm = admin.realm(REALM);
        JsonNode themes = admin.serverInfo().path("themes");
        for (String type : List.of("login", "email")) {
            List<String> names = new ArrayList<>();
            themes.path(type).forEach(t -> names.add(t.path("name").asText()));
            assertTrue(names.contains(realm.get(type + "Theme").asText()), () -> type + " themes: " + names);
        }
    }

    private static Map<String, String> configOf(JsonNode execution) {
        Map<String, String> values = new LinkedHashMap<>();
        admin.get("/admin/realms/" + REALM + "/authentication/config/"
                        + execution.path("authenticationConfig").asText())
                .path("config")
                .fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    @Test
    void browserFlowIsTheOpaqueFormWithLegacyMigrationOrAnEmailCodeThenASecondFactorWhenOn() {
        JsonNode executions = admin.get(
                "/admin/realms/" + REALM + "/authentication/flows/" + path("keyward browser") + "/executions");
        assertEquals(
                List.of(
                        "0 auth-cookie ALTERNATIVE",
                        "0 identity-provider-redirector ALTERNATIVE",
                        "0 keyward forms ALTERNATIVE",
                        "1 keyward first factor CONDITIONAL",
                        "2 conditional-level-of-authentication REQUIRED",
                        "2 keyward sign-in REQUIRED",
                        "3 keyward-opaque-login ALTERNATIVE",
                        "3 keyward-passkey ALTERNATIVE",
                        "3 keyward-email-code ALTERNATIVE",
                        "1 keyward second factor CONDITIONAL",
                        "2 keyward-condition-second-factor REQUIRED",
                        "2 conditional-level-of-authentication REQUIRED",
                        "2 keyward-second-factor REQUIRED"),
                describe(executions));
        assertEquals(Map.of("loa-condition-level", "1", "loa-max-age", "604800"), configOf(executions.get(4)));
        assertEquals(Map.of("loa-condition-level", "2", "loa-max-age", "604800"), configOf(executions.get(11)));
        JsonNode opaque = executions.get(6);
        String configId = opaque.path("authenticationConfig").asText();
        assertFalse(configId.isEmpty(), "keyward-opaque-login has no config");
        JsonNode config = admin.get("/admin/realms/" + REALM + "/authentication/config/" + configId);
        assertEquals("keyward-opaque-login", config.get("alias").asText());
        assertTrue(config.get("config").has("legacyMigration"), config::toString);
        // Keycloak's admin API shows a config value only when the authenticator declares the key
        // (undeclared keys come back masked): check the value as soon as keyward-opaque-login declares it.
        JsonNode declared = admin.get(
                        "/admin/realms/" + REALM + "/authentication/config-description/keyward-opaque-login")
                .path("properties");
        boolean known = false;
        for (JsonNode property : declared) {
            known |= "legacyMigration".equals(property.path("name").asText());
        }
        if (known) {
            // issue 17, item 8: the export adds users without a password on the wire (the action email)
            assertEquals("false", config.get("config").get("legacyMigration").asText());
        }

        // the email code, after the OPAQUE form: its settings written out, each one the authenticator's default
        JsonNode emailCode = executions.get(8);
        String emailConfigId = emailCode.path("authenticationConfig").asText();
        assertFalse(emailConfigId.isEmpty(), "keyward-email-code has no config");
        JsonNode emailConfig = admin.get("/admin/realms/" + REALM + "/authentication/config/" + emailConfigId);
        assertEquals("keyward-email-code", emailConfig.get("alias").asText());
        Map<String, String> settings = new LinkedHashMap<>();
        emailConfig
                .get("config")
                .fields()
                .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        settings.keySet()
                .removeIf(key -> key.startsWith("default.reference.")); // amr, checked in tokens (TokenClaimsIT)
        assertEquals(EMAIL_CODE_DEFAULTS, settings);
        Map<String, String> declaredDefaults = new LinkedHashMap<>();
        admin.get("/admin/realms/" + REALM + "/authentication/config-description/keyward-email-code")
                .path("properties")
                .forEach(p -> declaredDefaults.put(
                        p.path("name").asText(), p.path("defaultValue").asText()));
        assertEquals(EMAIL_CODE_DEFAULTS, declaredDefaults);
    }

    /** Reset: the emailed link, a two-factor user's passkey, then the new OPAQUE password. */
    @Test
    void resetCredentialsFlowEndsInOpaqueRegistration() {
        JsonNode executions = admin.get("/admin/realms/" + REALM + "/authentication/flows/"
                + path("keyward reset credentials") + "/executions");
        assertEquals(
                List.of(
                        "0 reset-credentials-choose-user REQUIRED",
                        "0 reset-credential-email REQUIRED",
                        "0 keyward-reset-two-factor REQUIRED",
                        "0 keyward-opaque-reset REQUIRED"),
                describe(executions));
    }

    /** Password grants are refused for every client: the realm's direct grant flow is the pack's refusal. */
    @Test
    void directGrantFlowRefusesPasswordGrants() {
        assertEquals(
                "keyward direct grant",
                admin.realm(REALM).path("directGrantFlow").asText());
        assertEquals(
                List.of("0 keyward-direct-grant-refusal REQUIRED"),
                describe(admin.get("/admin/realms/" + REALM + "/authentication/flows/" + path("keyward direct grant")
                        + "/executions")));
    }

    /**
     * The external identity provider {@code upstream} (the export's test realm
     * {@code keyward-upstream}) with its two broker flows: the provider must have verified the
     * email address, an existing account is linked only through its email (never Keycloak's
     * password form) and, when it has two-factor on, its own two-factor sign-in, and every login through it is recorded as level 0, {@code federated} in the
     * realm's {@code acr.loa.map}.
     */
    @Test
    void upstreamIdentityProviderWithItsBrokerFlows() {
        JsonNode realm = admin.realm(REALM);
        assertEquals(
                "{\"federated\":0,\"single-factor\":1,\"two-factor\":2}",
                realm.path("attributes").path("acr.loa.map").asText());

        JsonNode idp = admin.get("/admin/realms/" + REALM + "/identity-provider/instances/upstream");
        assertEquals("oidc", idp.get("providerId").asText());
        assertEquals("Keyward upstream", idp.get("displayName").asText());
        assertTrue(idp.get("enabled").asBoolean());
        assertTrue(idp.get("trustEmail").asBoolean());
        assertFalse(idp.get("storeToken").asBoolean());
        assertFalse(idp.get("linkOnly").asBoolean());
        assertFalse(idp.path("hideOnLogin").asBoolean());
        assertEquals(
                "keyward first broker login",
                idp.get("firstBrokerLoginFlowAlias").asText());
        assertEquals(
                "keyward post broker login", idp.get("postBrokerLoginFlowAlias").asText());
        JsonNode config = idp.get("config");
        String upstream = "http://localhost:8080/realms/keyward-upstream";
        assertEquals(upstream, config.get("issuer").asText());
        assertEquals(
                upstream + "/protocol/openid-connect/auth",
                config.get("authorizationUrl").asText());
        assertEquals(
                upstream + "/protocol/openid-connect/token",
                config.get("tokenUrl").asText());
        assertEquals(
                upstream + "/protocol/openid-connect/certs",
                config.get("jwksUrl").asText());
        assertEquals("keyward-broker", config.get("clientId").asText());
        assertEquals("client_secret_basic", config.get("clientAuthMethod").asText());
        assertEquals("true", config.get("validateSignature").asText());
        assertEquals("true", config.get("useJwksUrl").asText());
        assertEquals("true", config.get("pkceEnabled").asText());
        assertEquals("S256", config.get("pkceMethod").asText());
        assertEquals("IMPORT", config.get("syncMode").asText());

        JsonNode mappers = admin.get("/admin/realms/" + REALM + "/identity-provider/instances/upstream/mappers");
        assertEquals(1, mappers.size(), mappers::toString);
        assertEquals(
                "oidc-username-idp-mapper",
                mappers.get(0).get("identityProviderMapper").asText());
        assertEquals(
                "upstream.${CLAIM.preferred_username}",
                mappers.get(0).path("config").path("template").asText());

        List<String> firstLogin = describe(admin.get("/admin/realms/" + REALM + "/authentication/flows/"
                + path("keyward first broker login") + "/executions"));
        assertEquals(
                List.of(
                        "0 keyward-idp-verified-email REQUIRED",
                        "0 keyward-signup-approval-check REQUIRED",
                        "0 keyward first broker login account REQUIRED",
                        "1 idp-create-user-if-unique ALTERNATIVE",
                        "1 keyward first broker login link ALTERNATIVE",
                        "2 idp-confirm-link REQUIRED",
                        "2 idp-email-verification REQUIRED",
                        "2 keyward-link-two-factor REQUIRED",
                        "0 keyward-signup-approval REQUIRED"),
                firstLogin);
        assertEquals(
                List.of("0 keyward-federated-login REQUIRED"),
                describe(admin.get("/admin/realms/" + REALM + "/authentication/flows/"
                        + path("keyward post broker login") + "/executions")));
        // the admin's other choice per provider: a local second factor after the provider's login
        assertEquals(
                List.of("0 keyward-federated-login REQUIRED", "0 keyward-broker-second-factor REQUIRED"),
                describe(admin.get("/admin/realms/" + REALM + "/authentication/flows/"
                        + path("keyward post broker login with local two-factor") + "/executions")));
        // Keycloak's re-authentication form checks Keycloak passwords, not OPAQUE ones: never on the provider's path
        // (Keycloak's built-in "first broker login" flow, which the provider does not use, still has it)
        assertTrue(firstLogin.stream().noneMatch(e -> e.contains("idp-username-password-form")), firstLogin::toString);
    }

    /**
     * The test identity provider's realm, imported at start from keyward-upstream-realm.json: its
     * confidential client for the keyward realm, whose secret Keycloak took from the environment
     * variable {@code KEYWARD_UPSTREAM_SECRET} (the file holds only the placeholder).
     */
    @Test
    void upstreamRealmsBrokerClientGotItsSecretFromTheEnvironment() {
        JsonNode client = admin.client("keyward-upstream", "keyward-broker");
        assertFalse(client.get("publicClient").asBoolean());
        assertEquals("client-secret", client.get("clientAuthenticatorType").asText());
        assertTrue(client.get("standardFlowEnabled").asBoolean());
        assertFalse(client.get("implicitFlowEnabled").asBoolean());
        assertFalse(client.get("directAccessGrantsEnabled").asBoolean());
        assertFalse(client.get("serviceAccountsEnabled").asBoolean());
        assertEquals(
                "S256",
                client.get("attributes").get("pkce.code.challenge.method").asText());
        assertEquals(
                "[\"http://localhost:8080/realms/keyward/broker/upstream/endpoint\"]",
                client.get("redirectUris").toString());
        JsonNode secret = admin.get(
                "/admin/realms/keyward-upstream/clients/" + client.get("id").asText() + "/client-secret");
        assertEquals(keycloak.upstreamSecret(), secret.get("value").asText());
    }

    /**
     * An import with a requiredActions array gets only the actions listed, so the export lists
     * Keycloak's own: the realm has every action (same enabled state, but UPDATE_PASSWORD off) a
     * realm created without the array gets, plus the pack's four.
     */
    @Test
    void requiredActionsAreKeycloaksDefaultsPlusKeywardActions() {
        String scratch = "required-actions-defaults-"
                + KeycloakServer.randomSecret().substring(0, 6).toLowerCase(java.util.Locale.ROOT);
        admin.send("POST", "/admin/realms", Map.of("realm", scratch, "enabled", false));
        Map<String, Boolean> defaults;
        try {
            defaults = enabledByAlias(admin.get("/admin/realms/" + scratch + "/authentication/required-actions"));
        } finally {
            admin.send("DELETE", "/admin/realms/" + scratch, null);
        }
        Map<String, Boolean> actual =
                enabledByAlias(admin.get("/admin/realms/" + REALM + "/authentication/required-actions"));
        assertTrue(defaults.size() >= 10, defaults::toString);
        // UPDATE_PASSWORD would set a Keycloak password next to OPAQUE (the account console would
        // offer it); the OPAQUE form turns an admin's temporary password into keyward-opaque-register
        assertEquals(true, defaults.get("UPDATE_PASSWORD"));
        assertEquals(false, actual.get("UPDATE_PASSWORD"));
        defaults.forEach((alias, enabled) ->
                assertEquals("UPDATE_PASSWORD".equals(alias) ? false : enabled, actual.get(alias), alias));
        assertEquals(true, actual.get("keyward-opaque-register"));
        assertEquals(true, actual.get("keyward-enable-two-factor"));
        assertEquals(true, actual.get("keyward-disable-two-factor"));
        assertEquals(true, actual.get("keyward-two-factor-check"));
        assertEquals(defaults.size() + 4, actual.size(), actual::toString);
        // the completion check runs before any other action, so no other page shows to a refused login
        JsonNode first = admin.get("/admin/realms/" + REALM + "/authentication/required-actions")
                .get(0);
        assertEquals("keyward-two-factor-check", first.get("alias").asText());
        // enrolling a method as an application-initiated action needs a sign-in of the last 5 minutes
        for (String alias : List.of("keyward-opaque-register", "webauthn-register-passwordless", "UPDATE_EMAIL")) {
            assertEquals(
                    "300",
                    admin.get("/admin/realms/" + REALM + "/authentication/required-actions/" + alias + "/config")
                            .path("config")
                            .path("max_auth_age")
                            .asText(),
                    alias);
        }

        JsonNode opaque =
                admin.get("/admin/realms/" + REALM + "/authentication/required-actions/keyward-opaque-register");
        assertEquals("Set OPAQUE password", opaque.get("name").asText());
        assertFalse(opaque.get("defaultAction").asBoolean());
    }

    /** The login page's headers: the export's CSP (WebAssembly for the OPAQUE client) and Keycloak's other security headers. */
    @Test
    void loginPageSendsTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(authorizationRequest(DEMO_REDIRECT, true))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertEquals(
                admin.realm(REALM)
                        .get("browserSecurityHeaders")
                        .get("contentSecurityPolicy")
                        .asText(),
                csp);
        List<String> directives = List.of(csp.split("\\s*;\\s*"));
        assertTrue(directives.contains("script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'"), csp);
        assertTrue(directives.contains("frame-ancestors 'self'"), csp);
        assertTrue(directives.contains("object-src 'none'"), csp);
        assertEquals("SAMEORIGIN", page.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals(
                "nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElseThrow());
        assertEquals("none", page.headers().firstValue("X-Robots-Tag").orElseThrow());
        assertTrue(page.headers()
                .firstValue("Strict-Transport-Security")
                .orElseThrow()
                .startsWith("max-age="));
        // the keyward theme and the OPAQUE form
        assertTrue(
                java.util.regex.Pattern.compile("/login/keyward/css/keyward-[0-9a-f]{12}\\.css")
                        .matcher(page.body())
                        .find(),
                "keyward theme stylesheet (content-hashed name) not on the page");
        assertTrue(page.body().contains("data-keyward-opaque=\"login\""), "not the OPAQUE login form");
    }

    private static Map<String, Boolean> enabledByAlias(JsonNode actions) {
        Map<String, Boolean> result = new LinkedHashMap<>();
        actions.forEach(
                a -> result.put(a.get("alias").asText(), a.get("enabled").asBoolean()));
        return result;
    }

    /** "level provider-or-flow REQUIREMENT" per execution, in order. */
    private static List<String> describe(JsonNode executions) {
        List<String> result = new ArrayList<>();
        executions.forEach(e -> result.add(e.get("level").asInt() + " "
                + (e.path("authenticationFlow").asBoolean()
                        ? e.get("displayName").asText()
                        : e.get("providerId").asText())
                + " " + e.get("requirement").asText()));
        return result;
    }

    private static String path(String flowAlias) {
        return java.net.URLEncoder.encode(flowAlias, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /**
     * The user profile declares two_factor_enabled: users see it, only admins edit it, its values
     * are true/false, shown as On/Off, and turning it on is checked by keyward-two-usable-methods.
     * Keycloak's own attributes stay as in a new realm.
     */
    @Test
    void userProfileDeclaresTwoFactorEnabled() {
        JsonNode profile = admin.get("/admin/realms/" + REALM + "/users/profile");
        JsonNode attribute = null;
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode a : profile.path("attributes")) {
            names.add(a.path("name").asText());
            if ("two_factor_enabled".equals(a.path("name").asText())) {
                attribute = a;
            }
        }
        assertEquals(List.of("username", "email", "firstName", "lastName", "two_factor_enabled"), names);
        assertEquals(
                "[\"admin\",\"user\"]",
                attribute.path("permissions").path("view").toString());
        assertEquals("[\"admin\"]", attribute.path("permissions").path("edit").toString());
        assertEquals(
                "[\"true\",\"false\"]",
                attribute.path("validations").path("options").path("options").toString());
        assertTrue(attribute.path("validations").has("keyward-two-usable-methods"), attribute.toString());
        // a select whose options read "On"/"Off" (mfa-policy-flow's messages), not true/false
        JsonNode annotations = attribute.path("annotations");
        assertEquals("select", annotations.path("inputType").asText(), attribute.toString());
        assertEquals(
                "${keywardTwoFactorOn}",
                annotations.path("inputOptionLabels").path("true").asText(),
                attribute.toString());
        assertEquals(
                "${keywardTwoFactorOff}",
                annotations.path("inputOptionLabels").path("false").asText(),
                attribute.toString());
    }

    /** The "Hardening defaults" table of docs/installing.md, as the imported realm holds it. */
    @Test
    void hardeningDefaults() {
        JsonNode realm = admin.realm(REALM);
        assertEquals("external", realm.get("sslRequired").asText());
        assertEquals(300, realm.get("accessTokenLifespan").asInt());
        assertTrue(realm.get("revokeRefreshToken").asBoolean());
        assertEquals(0, realm.get("refreshTokenMaxReuse").asInt());
        assertTrue(realm.get("eventsEnabled").asBoolean());
        assertEquals("[\"jboss-logging\"]", realm.get("eventsListeners").toString());
        assertTrue(realm.get("adminEventsEnabled").asBoolean());
        assertFalse(realm.get("adminEventsDetailsEnabled").asBoolean(), "admin event details can carry client secrets");
        assertEquals(
                "required",
                realm.get("webAuthnPolicyUserVerificationRequirement").asText());
        assertEquals(
                "required",
                realm.get("webAuthnPolicyPasswordlessUserVerificationRequirement")
                        .asText());
        assertEquals(60, realm.get("waitIncrementSeconds").asInt());
        assertEquals(900, realm.get("maxFailureWaitSeconds").asInt());
        JsonNode headers = realm.get("browserSecurityHeaders");
        assertTrue(headers.get("contentSecurityPolicy").asText().contains("frame-ancestors 'self'"), headers::toString);
        assertTrue(headers.get("contentSecurityPolicy").asText().contains("object-src 'none'"), headers::toString);
        assertEquals("SAMEORIGIN", headers.get("xFrameOptions").asText());
        assertTrue(headers.get("strictTransportSecurity").asText().startsWith("max-age=31536000"), headers::toString);
        // every client the export defines: exact redirect URIs, and web origins that are origins
        for (JsonNode exported : RealmExport.read(keycloak).get("clients")) {
            String clientId = exported.path("clientId").asText();
            JsonNode client = admin.client(REALM, clientId);
            client.get("redirectUris").forEach(u -> assertFalse(u.asText().contains("*"), clientId + " " + u));
            client.get("webOrigins").forEach(o -> {
                URI origin = URI.create(o.asText());
                assertFalse(o.asText().contains("*") || "+".equals(o.asText()), clientId + " " + o);
                assertTrue(
                        origin.getScheme() != null
                                && (origin.getPath() == null || origin.getPath().isEmpty()),
                        clientId + " " + o);
            });
        }
    }

    @Test
    void demoClientIsPublicCodeFlowWithPkceAndExactRedirects() {
        JsonNode client = admin.client(REALM, CLIENT);
        assertTrue(client.get("publicClient").asBoolean());
        assertTrue(client.get("standardFlowEnabled").asBoolean());
        assertFalse(client.get("implicitFlowEnabled").asBoolean());
        assertFalse(client.get("directAccessGrantsEnabled").asBoolean());
        assertEquals(
                "S256",
                client.get("attributes").get("pkce.code.challenge.method").asText());
        List<String> uris = new ArrayList<>();
        client.get("redirectUris").forEach(u -> uris.add(u.asText()));
        assertTrue(uris.contains(DEMO_REDIRECT.toString()), uris::toString);
        assertTrue(uris.stream().noneMatch(u -> u.contains("*")), uris::toString);
    }

    @Test
    void authorizationWithoutPkceIsRefused() throws Exception {
        URI request = authorizationRequest(DEMO_REDIRECT, false);
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(request).build(), HttpResponse.BodyHandlers.ofString());
        // a valid redirect URI: Keycloak reports the error to the client, not on its own page
        assertEquals(302, response.statusCode());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(DEMO_REDIRECT + "?error=invalid_request"), location);
        assertTrue(location.contains("code_challenge_method"), location);
    }

    @Test
    void redirectUriMustMatchExactly() throws Exception {
        for (String uri :
                List.of(DEMO_REDIRECT + "/more", "http://localhost:8081/callback2", "http://localhost:8082/callback")) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(authorizationRequest(URI.create(uri), true))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), uri);
            assertTrue(response.body().contains("Invalid parameter: redirect_uri"), uri);
        }
    }

    private URI authorizationRequest(URI redirect, boolean pkce) throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(keycloak.realmUri(REALM)));
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(
                        ResponseType.CODE, new Scope("openid"), new ClientID(CLIENT), redirect)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(new Nonce());
        if (pkce) {
            builder.codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256);
        }
        return builder.build().toURI();
    }

    // ---- the production realm ----

    private static final Path ROOT =
            Path.of(ItConfig.get("keyward.it.root", "..")).toAbsolutePath().normalize();
    private static final String SMTP_USER = "relay";
    private static final String SMTP_PASSWORD = "smtp-" + KeycloakServer.randomSecret();
    private static final String SMTP_FROM = "keyward@example.test";

    /** The production realm's SMTP server: it wants a login and offers no STARTTLS (GreenMail has none). */
    @RegisterExtension
    static final GreenMailExtension PRODUCTION_MAIL = new GreenMailExtension(
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_USER, SMTP_PASSWORD))
            .withPerMethodLifecycle(false);

    /** The production realm's own Keycloak, once started (a record: @KeywardTest sets static fields of the harness types). */
    private record Production(KeycloakServer server, AdminApi admin) {}

    private static Production production;

    /**
     * A Keycloak whose data/import holds the production realm only, under the name compose mounts it
     * as, started with compose's SMTP variables (port and STARTTLS left to the realm's defaults but
     * for the port, which is GreenMail's).
     */
    private static synchronized AdminApi production() throws IOException {
        if (production == null) {
            KeycloakServer server = KeycloakServer.dedicated("keycloak-production-realm");
            Path imports = server.home().resolve("data/import");
            try (var files = Files.list(imports)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.copy(ROOT.resolve("realm-export/keyward-production.json"), imports.resolve("keyward-realm.json"));
            production = new Production(server, new AdminApi(server));
            server.start(
                    Map.of(
                            "KEYWARD_SMTP_HOST",
                            "127.0.0.1",
                            "KEYWARD_SMTP_PORT",
                            Integer.toString(PRODUCTION_MAIL.getSmtp().getPort()),
                            "KEYWARD_SMTP_FROM",
                            SMTP_FROM,
                            "KEYWARD_SMTP_USER",
                            SMTP_USER),
                    List.of());
        }
        return production.admin();
    }

    @AfterAll
    static void stopProduction() {
        if (production != null) {
            production.server().stop();
        }
    }

    /**
     * No demo client (only the clients Keycloak creates in every realm), no identity provider, the
     * SMTP settings from the environment with the password left as the vault reference, legacy
     * migration off, brute-force protection on, HTTPS for every address, email verification on, no
     * offline_access among the default roles, and every other realm setting as in the demo realm.
     */
    @Test
    void productionRealmHasNoDemoPartsAndSmtpFromTheEnvironment() throws Exception {
        AdminApi prod = production();
        List<String> clients = new ArrayList<>();
        prod.get("/admin/realms/" + REALM + "/clients")
                .forEach(c -> clients.add(c.path("clientId").asText()));
        assertEquals(
                new TreeSet<>(List.of(
                        "account",
                        "account-console",
                        "admin-cli",
                        "broker",
                        "realm-management",
                        "security-admin-console")),
                new TreeSet<>(clients));
        assertEquals(
                0,
                prod.get("/admin/realms/" + REALM + "/identity-provider/instances")
                        .size());

        JsonNode realm = prod.realm(REALM);
        assertEquals("Keyward", realm.path("displayName").asText());
        JsonNode smtp = realm.path("smtpServer");
        assertEquals("127.0.0.1", smtp.path("host").asText(), smtp::toString);
        assertEquals(
                Integer.toString(PRODUCTION_MAIL.getSmtp().getPort()),
                smtp.path("port").asText());
        assertEquals(SMTP_FROM, smtp.path("from").asText());
        assertEquals(SMTP_USER, smtp.path("user").asText());
        assertEquals("true", smtp.path("auth").asText());
        // the realm's defaults, for variables compose may leave unset
        assertEquals("true", smtp.path("starttls").asText());
        assertEquals("false", smtp.path("ssl").asText());
        // Keycloak shows a vault reference as it is (any other password comes back masked)
        assertEquals("${vault.smtp_password}", smtp.path("password").asText());

        assertTrue(realm.path("bruteForceProtected").asBoolean());
        assertFalse(realm.path("permanentLockout").asBoolean());
        // the production-only hardening (docs/installing.md, "Production realm")
        assertEquals("all", realm.path("sslRequired").asText());
        assertTrue(realm.path("verifyEmail").asBoolean());
        assertEquals(
                List.of("manage-account", "uma_authorization", "view-profile"),
                names(prod, "/roles/default-roles-keyward/composites"),
                "offline tokens only for users an admin grants offline_access");
        JsonNode opaque = null;
        for (JsonNode e : prod.get(
                "/admin/realms/" + REALM + "/authentication/flows/" + path("keyward sign-in") + "/executions")) {
            if ("keyward-opaque-login".equals(e.path("providerId").asText())) {
                opaque = prod.get("/admin/realms/" + REALM + "/authentication/config/"
                        + e.path("authenticationConfig").asText());
            }
        }
        assertEquals("false", opaque.path("config").path("legacyMigration").asText(), String.valueOf(opaque));

        ObjectNode demo = comparable(admin.realm(REALM));
        ObjectNode prodSettings = comparable(realm);
        for (ObjectNode settings : List.of(demo, prodSettings)) {
            settings.remove(List.of(
                    "displayName",
                    "smtpServer",
                    "identityProviders",
                    "identityProviderMappers",
                    "sslRequired",
                    "verifyEmail"));
        }
        assertEquals(demo, prodSettings);
    }

    /** The flows, their settings and the required actions are the demo realm's, execution by execution. */
    @Test
    void productionRealmHasTheDemoRealmsFlowsAndRequiredActions() throws Exception {
        AdminApi prod = production();
        assertEquals(flows(admin), flows(prod));
        assertEquals(
                admin.get("/admin/realms/" + REALM + "/authentication/required-actions"),
                prod.get("/admin/realms/" + REALM + "/authentication/required-actions"));
        assertEquals(scopes(admin), scopes(prod));
        assertEquals(names(admin, "/default-default-client-scopes"), names(prod, "/default-default-client-scopes"));
        // offline_access among them, though the production file carries that scope itself
        assertEquals(names(admin, "/default-optional-client-scopes"), names(prod, "/default-optional-client-scopes"));
        assertEquals(
                admin.get("/admin/realms/" + REALM + "/users/profile"),
                prod.get("/admin/realms/" + REALM + "/users/profile"));
    }

    /**
     * The SMTP password is the realm's vault secret smtp_password: without it no mail goes out;
     * once an admin stores it, mail reaches the server from the configured address. The realm asks
     * for STARTTLS, and this server offers none: Keycloak logs in without TLS all the same
     * (docs/installing.md).
     */
    @Test
    void productionRealmSendsMailWithTheVaultsSmtpPassword() throws Exception {
        AdminApi prod = production();
        String email = "ops@example.test";
        String user = prod.createUser(REALM, "ops", email, KeycloakServer.randomSecret());
        String sendMail = "/admin/realms/" + REALM + "/users/" + user + "/execute-actions-email";
        HttpResponse<String> refused = prod.exchange("PUT", sendMail, List.of("keyward-opaque-register"));
        assertFalse(refused.statusCode() == 204, "mail sent without the vault secret: " + refused.body());
        assertEquals(0, PRODUCTION_MAIL.getReceivedMessages().length);

        prod.send(
                "PUT",
                "/admin/realms/" + REALM + "/keyward-vault/secrets/smtp_password",
                Map.of("value", SMTP_PASSWORD));
        HttpResponse<String> sent = prod.exchange("PUT", sendMail, List.of("keyward-opaque-register"));
        assertEquals(204, sent.statusCode(), sent.body());
        MimeMessage mail = new Mailbox(PRODUCTION_MAIL).awaitNth(email, 1, Duration.ofSeconds(30));
        assertEquals(SMTP_FROM, ((jakarta.mail.internet.InternetAddress) mail.getFrom()[0]).getAddress());
        assertFalse(
                Files.readString(production.server().logFile()).contains(SMTP_PASSWORD),
                "the SMTP password reached the log");
    }

    /** The realm representation without ids, which differ between two imports of the same file. */
    private static ObjectNode comparable(JsonNode realm) {
        ObjectNode copy = realm.deepCopy();
        stripIds(copy);
        return copy;
    }

    private static void stripIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("id", "containerId"));
        }
        node.forEach(RealmImportIT::stripIds);
    }

    /** Each top-level flow: its executions as {@link #describe} shows them, with each one's config alias and settings. */
    private static Map<String, List<String>> flows(AdminApi api) {
        Map<String, List<String>> flows = new TreeMap<>();
        for (JsonNode flow : api.get("/admin/realms/" + REALM + "/authentication/flows")) {
            String alias = flow.path("alias").asText();
            JsonNode executions =
                    api.get("/admin/realms/" + REALM + "/authentication/flows/" + path(alias) + "/executions");
            List<String> described = new ArrayList<>(describe(executions));
            for (int i = 0; i < executions.size(); i++) {
                String configId = executions.get(i).path("authenticationConfig").asText();
                if (!configId.isEmpty()) {
                    JsonNode config = api.get("/admin/realms/" + REALM + "/authentication/config/" + configId);
                    Map<String, String> settings = new TreeMap<>();
                    config.path("config")
                            .fields()
                            .forEachRemaining(
                                    e -> settings.put(e.getKey(), e.getValue().asText()));
                    described.set(
                            i, described.get(i) + " " + config.path("alias").asText() + " " + settings);
                }
            }
            flows.put(alias + " (" + flow.path("description").asText() + ")", described);
        }
        return flows;
    }

    /** The realm's client scopes without ids, by name, their mappers by name. */
    private static Map<String, JsonNode> scopes(AdminApi api) {
        Map<String, JsonNode> scopes = new TreeMap<>();
        for (JsonNode scope : api.get("/admin/realms/" + REALM + "/client-scopes")) {
            ObjectNode comparable = comparable(scope);
            // the database returns a scope's mappers in no fixed order
            List<JsonNode> mappers = new ArrayList<>();
            comparable.withArray("protocolMappers").forEach(mappers::add);
            mappers.sort(java.util.Comparator.comparing(m -> m.path("name").asText()));
            comparable.putArray("protocolMappers").addAll(mappers);
            scopes.put(scope.path("name").asText(), comparable);
        }
        return scopes;
    }

    private static List<String> names(AdminApi api, String realmPath) {
        List<String> names = new ArrayList<>();
        api.get("/admin/realms/" + REALM + realmPath)
                .forEach(n -> names.add(n.path("name").asText()));
        return names.stream().sorted().toList();
    }
}
