package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** realm-export/keyward-realm.json was imported at start and is what the README promises. */
class RealmImportIT {
    static final String REALM = "keyward";
    static final String CLIENT = "keyward-demo";
    static final URI DEMO_REDIRECT = URI.create("http://localhost:8081/callback");

    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        keycloak = KeycloakServer.get();
        admin = new AdminApi(keycloak);
    }

    @Test
    void discoveryDocumentIsServed() throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(keycloak.realmUri(REALM)));
        assertEquals(keycloak.realmUri(REALM).toString(), metadata.getIssuer().getValue());
        assertTrue(metadata.getCodeChallengeMethods().contains(CodeChallengeMethod.S256));
        assertTrue(metadata.getAuthorizationEndpointURI().toString().startsWith(keycloak.realmUri(REALM) + "/protocol/openid-connect/"));
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
    }

    @Test
    void demoClientIsPublicCodeFlowWithPkceAndExactRedirects() {
        JsonNode client = admin.client(REALM, CLIENT);
        assertTrue(client.get("publicClient").asBoolean());
        assertTrue(client.get("standardFlowEnabled").asBoolean());
        assertFalse(client.get("implicitFlowEnabled").asBoolean());
        assertFalse(client.get("directAccessGrantsEnabled").asBoolean());
        assertEquals("S256", client.get("attributes").get("pkce.code.challenge.method").asText());
        List<String> uris = new ArrayList<>();
        client.get("redirectUris").forEach(u -> uris.add(u.asText()));
        assertTrue(uris.contains(DEMO_REDIRECT.toString()), uris::toString);
        assertTrue(uris.stream().noneMatch(u -> u.contains("*")), uris::toString);
    }

    @Test
    void authorizationWithoutPkceIsRefused() throws Exception {
        URI request = authorizationRequest(DEMO_REDIRECT, false);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(request).build(), HttpResponse.BodyHandlers.ofString());
        // a valid redirect URI: Keycloak reports the error to the client, not on its own page
        assertEquals(302, response.statusCode());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(DEMO_REDIRECT + "?error=invalid_request"), location);
        assertTrue(location.contains("code_challenge_method"), location);
    }

    @Test
    void redirectUriMustMatchExactly() throws Exception {
        for (String uri : List.of(DEMO_REDIRECT + "/more", "http://localhost:8081/callback2", "http://localhost:8082/callback")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(authorizationRequest(URI.create(uri), true)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), uri);
            assertTrue(response.body().contains("Invalid parameter: redirect_uri"), uri);
        }
    }

    private URI authorizationRequest(URI redirect, boolean pkce) throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(keycloak.realmUri(REALM)));
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(CLIENT), redirect).endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State()).nonce(new Nonce());
        if (pkce) {
            builder.codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256);
        }
        return builder.build().toURI();
    }
}
