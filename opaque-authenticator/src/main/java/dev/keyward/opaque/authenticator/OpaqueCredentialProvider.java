package dev.keyward.opaque.authenticator;

import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Stores and describes OPAQUE credentials. A user has at most one: {@link #replace} removes the
 * previous one in the same transaction.
 */
public class OpaqueCredentialProvider implements CredentialProvider<OpaqueCredentialModel>, CredentialInputValidator {
    private static final Logger LOG = Logger.getLogger(OpaqueCredentialProvider.class);

    private final KeycloakSession session;

    /** @param session the request's session */
    public OpaqueCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getType() {
        return OpaqueCredentialModel.TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, OpaqueCredentialModel credential) {
        return user.credentialManager().createStoredCredential(credential);
    }

    /**
     * Makes {@code credential} the user's only OPAQUE credential.
     *
     * @param realm the realm
     * @param user the user
     * @param credential the new credential
     * @return the stored credential
     */
    public CredentialModel replace(RealmModel realm, UserModel user, OpaqueCredentialModel credential) {
        List<String> old = user.credentialManager()
                .getStoredCredentialsByTypeStream(getType())
                .map(CredentialModel::getId)
                .toList();
        old.forEach(id -> user.credentialManager().removeStoredCredentialById(id));
        return createCredential(realm, user, credential);
    }

    /**
     * Re-registration under another setup secret: the stored row keeps its id, label and date and
     * takes the new record and credential data, in one update.
     *
     * @param user the user
     * @param current the user's stored credential
     * @param replacement a freshly made credential for the same user
     */
    public void rekey(UserModel user, OpaqueCredentialModel current, OpaqueCredentialModel replacement) {
        CredentialModel updated = new CredentialModel();
        updated.setId(current.getId());
        updated.setType(current.getType());
        updated.setUserLabel(current.getUserLabel());
        updated.setCreatedDate(current.getCreatedDate());
        updated.setFederationLink(current.getFederationLink());
        updated.setCredentialData(replacement.getCredentialData());
        updated.setSecretData(replacement.getSecretData());
        user.credentialManager().updateStoredCredential(updated);
    }

    /**
     * Makes {@code credential} the user's only OPAQUE credential and removes the user's stored
     * Keycloak passwords: the old password would otherwise stay a second, server-verified way in.
     *
     * @return how many Keycloak passwords were removed
     */
    public int replaceLegacyPasswords(RealmModel realm, UserModel user, OpaqueCredentialModel credential) {
        replace(realm, user, credential);
        return removeLegacyPasswords(user);
    }

    /**
     * Removes the user's Keycloak {@code password} credentials (stored locally; a federation
     * provider's passwords are not Keycloak's to delete). After an OPAQUE registration the
     * legacy password would otherwise remain a second, weaker way in.
     *
     * @param user the user
     * @return how many were removed
     */
    public int removeLegacyPasswords(UserModel user) {
        List<String> ids = user.credentialManager()
                .getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(CredentialModel::getId)
                .toList();
        ids.forEach(id -> user.credentialManager().removeStoredCredentialById(id));
        return ids.size();
    }

    /**
     * The user's OPAQUE credential, or null when there is none or it cannot be read.
     *
     * @param user the user
     * @return the credential or null
     */
    public OpaqueCredentialModel find(UserModel user) {
        CredentialModel stored = user.credentialManager()
                .getStoredCredentialsByTypeStream(getType())
                .findFirst()
                .orElse(null);
        if (stored == null) {
            return null;
        }
        try {
            return getCredentialFromModel(stored);
        } catch (IllegalArgumentException e) {
            // treated like "no credential" (fake KE2), so a corrupt row fails closed
            LOG.warnf(
                    "Ignoring unreadable %s credential %s of a user in realm %s",
                    getType(),
                    stored.getId(),
                    session.getContext().getRealm() == null
                            ? "?"
                            : session.getContext().getRealm().getName());
            return null;
        }
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public OpaqueCredentialModel getCredentialFromModel(CredentialModel model) {
        return OpaqueCredentialModel.createFromCredentialModel(model);
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return getType().equals(credentialType);
    }

    /**
     * Makes {@code user.credentialManager().isConfiguredFor("keyward-opaque")} (used by the
     * account console, conditions and required-action logic) answer from the stored credential.
     */
    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType)
                && user.credentialManager()
                        .getStoredCredentialsByTypeStream(credentialType)
                        .findAny()
                        .isPresent();
    }

    /**
     * Always false. OPAQUE cannot be verified from one submitted value: the server answers KE1
     * with KE2 and then checks the client's KE3 against state kept between the two requests,
     * which {@link OpaqueAuthenticator} does. Returning false means no code path that validates
     * a single {@link CredentialInput} (direct grant, admin API) can ever accept an OPAQUE
     * credential by accident.
     */
    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        return false;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        CredentialTypeMetadata.CredentialTypeMetadataBuilder builder = CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.BASIC_AUTHENTICATION)
                .displayName(OpaqueConstants.MSG_DISPLAY_NAME)
                .helpText(OpaqueConstants.MSG_HELP_TEXT)
                .iconCssClass("kcAuthenticatorPasswordClass")
                // the password is the account's basic way in; replacing it is the only change
                .removeable(false);
        // Keycloak allows createAction or updateAction, not both: "set up" while there is no
        // credential, "update" once there is one (as Keycloak's own password does)
        UserModel user = metadataContext.getUser();
        if (user != null && isConfiguredFor(session.getContext().getRealm(), user, getType())) {
            builder.updateAction(OpaqueConstants.REGISTER_ACTION_ID);
        } else {
            builder.createAction(OpaqueConstants.REGISTER_ACTION_ID);
        }
        return builder.build(session);
    }
}
