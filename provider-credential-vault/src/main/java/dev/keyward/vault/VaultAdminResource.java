package dev.keyward.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelIllegalStateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/keyward-vault}: provider definitions, a user's bindings, realm
 * secrets for {@code ${vault.NAME}}, and key rotation. Keycloak has already checked the admin
 * token; each method checks the permission it needs (fine-grained where Keycloak has it: a user's
 * bindings follow the admin's view/manage rights on that user). Secrets are write-only here too.
 */
public class VaultAdminResource {
    private static final Logger LOG = Logger.getLogger(VaultAdminResource.class);
    static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    VaultAdminResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.CUSTOM);
    }

    private CredentialVaultProvider vault() {
        return session.getProvider(CredentialVaultProvider.class);
    }

    // ---- provider definitions

    @GET
    @Path("providers")
    @Produces(MediaType.APPLICATION_JSON)
    public List<ProviderDefinition> providers() {
        auth.realm().requireViewRealm();
        return ProviderDefinitions.list(session, realm);
    }

    @GET
    @Path("providers/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response provider(@PathParam("id") String id) {
        auth.realm().requireViewRealm();
        return ProviderDefinitions.get(session, realm, id)
                .map(d -> Response.ok(d).build())
                .orElseGet(() -> RestRefusal.response(
                        Response.Status.NOT_FOUND, "unknown_provider", "no provider with that id"));
    }

    /**
     * Creates or replaces a definition: 201 or 200 with the definition and {@code strandedCredentials},
     * the users' stored credentials the change left unusable (another upstream origin or credential
     * kind/name). With {@code ?dryRun=true}, checks it the same way, changes nothing and answers
     * {@code {"strandedCredentials": n}}. A change that strands any needs {@code ?confirmStranded=m}
     * with m at least that count, else 409 {@code credentials_would_be_stranded} with the count.
     */
    @PUT
    @Path("providers/{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putProvider(
            @PathParam("id") String id,
            @HeaderParam("Content-Type") String contentType,
            InputStream body,
            @QueryParam("dryRun") String dryRun,
            @QueryParam("confirmStranded") String confirmStranded) {
        auth.realm().requireManageRealm();
        return RestErrors.handle(() -> {
            StrandingConsent consent;
            try {
                consent = StrandingConsent.parse(dryRun, confirmStranded);
            } catch (InvalidInputException e) {
                throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage());
            }
            ProviderDefinition d;
            try {
                // the vault's rules, then every module's for its part (the header proxy's: the proxy section)
                d = ProviderDefinitions.parse(session, id, RestErrors.jsonBody(contentType, body));
                // e.g. the header proxy's: no more private network or metadata headers than the operator allows
                for (ProviderDefinitionCheck check : session.getAllProviders(ProviderDefinitionCheck.class)) {
                    check.check(d);
                }
            } catch (InvalidInputException e) {
                throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_provider", e.getMessage());
            }
            long stranded = DefinitionImpact.stranded(session, vault(), realm, d);
            if (consent.dryRun()) {
                return Response.ok(Map.of("strandedCredentials", stranded)).build();
            }
            if (!consent.allows(stranded)) {
                throw StrandingConsent.refusal(stranded);
            }
            boolean created = ProviderDefinitions.save(realm, d);
            Map<String, Object> answer = StrandingConsent.answer(d, stranded);
            if (stranded > 0) {
                LOG.infof(
                        "Keyward vault: provider %s of realm %s now names another upstream origin or credential kind/name;"
                                + " %d stored credential(s) are unusable until their owners store them again",
                        d.id(), realm.getName(), stranded);
            }
            adminEvent
                    .operation(created ? OperationType.CREATE : OperationType.UPDATE)
                    .resourcePath("keyward-vault", "providers", d.id())
                    .representation(answer)
                    .success();
            return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                    .entity(answer)
                    .build();
        });
    }

    @DELETE
    @Path("providers/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deleteProvider(@PathParam("id") String id) {
        auth.realm().requireManageRealm();
        boolean existed = ProviderDefinitions.remove(realm, id);
        // a binding without its provider could never be used, only leak: it goes with the definition
        int deleted = vault().deleteAllNamed(realm.getId(), SecretScope.USER, id);
        if (!existed && deleted == 0) {
            return RestRefusal.response(Response.Status.NOT_FOUND, "unknown_provider", "no provider with that id");
        }
        adminEvent
                .operation(OperationType.DELETE)
                .resourcePath("keyward-vault", "providers", id)
                .success();
        return Response.ok(Map.of("deletedCredentials", deleted)).build();
    }

    // ---- a user's bindings

    @GET
    @Path("users/{userId}/credentials")
    @Produces(MediaType.APPLICATION_JSON)
    public Response userCredentials(@PathParam("userId") String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            auth.users().requireQuery();
            return RestRefusal.response(Response.Status.NOT_FOUND, "user_not_found", "no user with that id");
        }
        auth.users().requireView(user);
        return Response.ok(UserCredentialsResource.describe(
                        session, realm, vault().list(realm.getId(), SecretScope.USER, user.getId())))
                .build();
    }

    @DELETE
    @Path("users/{userId}/credentials/{provider}")
    public Response deleteUserCredential(@PathParam("userId") String userId, @PathParam("provider") String provider) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            auth.users().requireQuery();
            return RestRefusal.response(Response.Status.NOT_FOUND, "user_not_found", "no user with that id");
        }
        auth.users().requireManage(user);
        if (!vault().delete(SecretBinding.user(realm.getId(), user.getId(), provider))) {
            return RestRefusal.response(
                    Response.Status.NOT_FOUND, "not_found", "the user has no credential for this provider");
        }
        adminEvent
                .operation(OperationType.DELETE)
                .resourcePath("users", user.getId(), "keyward-vault", provider)
                .success();
        return Response.noContent().build();
    }

    // ---- realm secrets (${vault.NAME})

    @GET
    @Path("secrets")
    @Produces(MediaType.APPLICATION_JSON)
    public List<SecretMetadata> secrets() {
        auth.realm().requireViewRealm();
        return vault().list(realm.getId(), SecretScope.REALM, realm.getId());
    }

    /** Body {@code {"value": "..."}}; 201 created, 200 replaced. */
    @PUT
    @Path("secrets/{name}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putSecret(
            @PathParam("name") String name, @HeaderParam("Content-Type") String contentType, InputStream body) {
        auth.realm().requireManageRealm();
        return RestErrors.handle(() -> {
            if (!SECRET_NAME.matcher(name).matches()) {
                throw new RestRefusal(
                        Response.Status.BAD_REQUEST, "invalid_name", "a secret name is 1 to 128 of A-Z a-z 0-9 _ . -");
            }
            String json = RestErrors.jsonBody(contentType, body);
            RealmSecretBody parsed;
            try {
                parsed = ProviderDefinitions.JSON.readValue(json, RealmSecretBody.class);
            } catch (JsonProcessingException e) {
                throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_secret", RestErrors.describe(e));
            }
            if (parsed == null || parsed.value == null || parsed.value.isEmpty()) {
                throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_secret", "send {\"value\": \"...\"}");
            }
            byte[] value = parsed.value.getBytes(StandardCharsets.UTF_8);
            try {
                if (value.length > VaultConstants.MAX_SECRET_BYTES) {
                    throw new RestRefusal(
                            Response.Status.BAD_REQUEST,
                            "invalid_secret",
                            "the value is larger than " + VaultConstants.MAX_SECRET_BYTES + " bytes");
                }
                SecretBinding binding = SecretBinding.realm(realm.getId(), name);
                boolean created;
                try {
                    created = vault().put(binding, value);
                } catch (ModelDuplicateException | ModelIllegalStateException e) {
                    throw RestErrors.concurrentWrite(session);
                }
                adminEvent
                        .operation(created ? OperationType.CREATE : OperationType.UPDATE)
                        .resourcePath("keyward-vault", "secrets", name)
                        .success();
                return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                        .entity(vault().find(binding).orElseThrow())
                        .build();
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        });
    }

    @DELETE
    @Path("secrets/{name}")
    public Response deleteSecret(@PathParam("name") String name) {
        auth.realm().requireManageRealm();
        if (!vault().delete(SecretBinding.realm(realm.getId(), name))) {
            return RestRefusal.response(Response.Status.NOT_FOUND, "not_found", "no secret with that name");
        }
        adminEvent
                .operation(OperationType.DELETE)
                .resourcePath("keyward-vault", "secrets", name)
                .success();
        return Response.noContent().build();
    }

    /** A realm secret as PUT. */
    public static final class RealmSecretBody {
        public String value;

        @Override
        public String toString() {
            return "RealmSecretBody[hidden]";
        }
    }

    // ---- keys and rotation (VaultKeysAdmin)

    /** Rows per key id: this realm's, or every realm's when asked on the admin (master) realm. */
    @GET
    @Path("keys")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> keys() {
        return keysAdmin().keys();
    }

    /** Decrypts every row of this realm (plaintext discarded) and lists the ones that fail. */
    @GET
    @Path("integrity")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> integrity() {
        return keysAdmin().integrity();
    }

    /** Rotation status with rows per key id over all realms; admin (master) realm only. */
    @GET
    @Path("rotation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotationStatus() {
        return keysAdmin().rotationStatus();
    }

    /** Starts (or resumes) re-encrypting every row under the active key: 202, or 409 if one runs. */
    @POST
    @Path("rotation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response startRotation() {
        return keysAdmin().startRotation();
    }

    /** Asks the running rotation to stop after its current batch: 202, or 409 if none runs. */
    @DELETE
    @Path("rotation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response stopRotation() {
        return keysAdmin().stopRotation();
    }

    private VaultKeysAdmin keysAdmin() {
        return new VaultKeysAdmin(session, realm, auth, adminEvent);
    }
}
