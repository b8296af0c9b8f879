package dev.keyward.vault;

import dev.keyward.common.RestRefusal;
import dev.keyward.common.ScopedBearer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelIllegalStateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code /realms/{realm}/keyward-vault}: a signed-in user's own provider credentials. Authenticated
 * by a bearer access token of the realm whose client was granted the scope {@code keyward-vault}
 * ({@link ScopedBearer}); browsers only from that client's origins ({@link ClientOrigins}). The
 * user is always the token's subject, so nobody reaches another user's rows through this API.
 * Listing returns metadata only: a stored secret never leaves the server through it.
 * <ul>
 *   <li>{@code GET providers}: the realm's providers (id, displayName, credentialKind, origin)</li>
 *   <li>{@code GET credentials}: the caller's bindings (metadata, and whether each is still usable)</li>
 *   <li>{@code PUT credentials/{provider}}: create (201) or replace (200)</li>
 *   <li>{@code DELETE credentials/{provider}}: 204, or 404 if there was none</li>
 * </ul>
 */
public class UserCredentialsResource {
    private static final ScopedBearer ACCESS =
            new ScopedBearer(VaultConstants.USER_SCOPE, VaultConstants.USER_AUDIENCE);
    private static final ClientOrigins ORIGINS =
            new ClientOrigins(VaultConstants.USER_SCOPE, List.of("WWW-Authenticate"));

    private final KeycloakSession session;

    UserCredentialsResource(KeycloakSession session) {
        this.session = session;
    }

    /** A call on behalf of the token's user that may refuse the request. */
    private interface UserCall {
        Response run(UserModel user) throws RestRefusal;
    }

    /**
     * Checks the token (realm, scope, audience) and the browser origin before the call runs, and
     * lets only origins of the token's client (before a token, of a client with the scope) read the answer.
     */
    private Response answer(UserCall call) {
        AccessToken token = null;
        Response response;
        try {
            AuthenticationManager.AuthResult auth = ACCESS.authenticate(session);
            token = auth.token();
            response = ORIGINS.allows(session, token)
                    ? RestErrors.handle(() -> call.run(auth.user()))
                    : RestRefusal.response(
                            Response.Status.FORBIDDEN,
                            "origin_not_allowed",
                            "requests from this origin are not allowed for this token");
        } catch (RestRefusal r) {
            response = r.toResponse();
        }
        return ORIGINS.add(session, token, Response.fromResponse(response)).build();
    }

    /** CORS preflights: no token, so only origins a client holding the scope lists get an answer browsers accept. */
    @OPTIONS
    @Path("providers")
    public Response providersPreflight() {
        return ORIGINS.preflight(session, List.of("GET"), List.of("Authorization"));
    }

    @OPTIONS
    @Path("credentials")
    public Response credentialsPreflight() {
        return ORIGINS.preflight(session, List.of("GET"), List.of("Authorization"));
    }

    @OPTIONS
    @Path("credentials/{provider}")
    public Response credentialPreflight() {
        return ORIGINS.preflight(session, List.of("PUT", "DELETE"), List.of("Authorization", "Content-Type"));
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }

    private CredentialVaultProvider vault() {
        return session.getProvider(CredentialVaultProvider.class);
    }

    @GET
    @Path("providers")
    @Produces(MediaType.APPLICATION_JSON)
    public Response providers() {
        return answer(user -> {
            List<Map<String, Object>> out = ProviderDefinitions.list(session, realm()).stream()
                    .map(d -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", d.id());
                        m.put("displayName", d.displayName());
                        m.put("credentialKind", d.credentialKind().json());
                        // where a credential stored now will go: an app can show it before the user stores one
                        d.upstreamOrigin().ifPresent(origin -> m.put("origin", origin));
                        return m;
                    })
                    .toList();
            return Response.ok(out).build();
        });
    }

    @GET
    @Path("credentials")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        return answer(user -> {
            return Response.ok(
                            describe(session, realm(), vault().list(realm().getId(), SecretScope.USER, user.getId())))
                    .build();
        });
    }

    @PUT
    @Path("credentials/{provider}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(
            @PathParam("provider") String providerId,
            @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        return answer(user -> {
            ProviderDefinition provider = provider(providerId);
            String json = RestErrors.jsonBody(contentType, body);
            StoredCredential credential;
            try {
                credential = StoredCredential.parse(provider.credentialKind(), json);
            } catch (InvalidInputException e) {
                throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_credential", e.getMessage());
            }
            // bound to where this definition sends it now; a later change of that strands it
            SecretBinding binding = SecretBinding.user(realm().getId(), user.getId(), provider);
            byte[] plaintext = credential.bytes();
            boolean created;
            try {
                created = vault().put(binding, plaintext);
            } catch (ModelDuplicateException | ModelIllegalStateException e) {
                throw RestErrors.concurrentWrite(session);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            Map<String, Object> meta = describe(
                            session, realm(), vault().find(binding).stream().toList())
                    .get(0);
            return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                    .entity(meta)
                    .build();
        });
    }

    @DELETE
    @Path("credentials/{provider}")
    public Response delete(@PathParam("provider") String providerId) {
        return answer(user -> {
            if (!vault().delete(SecretBinding.user(realm().getId(), user.getId(), providerId))) {
                throw new RestRefusal(Response.Status.NOT_FOUND, "not_found", "no credential stored for this provider");
            }
            return Response.noContent().build();
        });
    }

    private ProviderDefinition provider(String id) throws RestRefusal {
        return ProviderDefinitions.get(session, realm(), id)
                .orElseThrow(() -> new RestRefusal(
                        Response.Status.NOT_FOUND, "unknown_provider", "this realm has no provider with that id"));
    }

    /**
     * Metadata rows for the API: never the envelope or the secret. {@code usable} is false when the
     * provider's definition no longer fits the row (another upstream origin or credential kind/name,
     * or no definition at all): the header proxy refuses it until it is stored again.
     */
    static List<Map<String, Object>> describe(KeycloakSession session, RealmModel realm, List<SecretMetadata> rows) {
        long now = org.keycloak.common.util.Time.currentTimeMillis();
        return rows.stream()
                .map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("provider", r.name());
                    Optional<ProviderDefinition> definition = ProviderDefinitions.get(session, realm, r.name());
                    definition.ifPresent(d -> {
                        m.put("displayName", d.displayName());
                        m.put("credentialKind", d.credentialKind().json());
                    });
                    m.put("usable", r.usableUnder(definition.orElse(null)));
                    m.put("createdAt", r.createdAt());
                    m.put("updatedAt", r.updatedAt());
                    m.put("keyId", r.keyId());
                    m.put("keyAgeSeconds", Math.max(0, (now - r.encryptedAt()) / 1000));
                    return m;
                })
                .toList();
    }
}
