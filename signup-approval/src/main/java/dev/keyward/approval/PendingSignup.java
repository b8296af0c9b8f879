package dev.keyward.approval;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An account that waits for approval: the external identity it was created for. Stored as user
 * attributes, because the federated link itself is made only on approval (Keycloak refuses a
 * linked, disabled account with its own "account is disabled" page before any flow runs, so a link
 * would hide the pack's pending page).
 *
 * <p>The attributes count only on a disabled account: an enabled user cannot become pending by
 * writing them (where the user profile lets users write unmanaged attributes), and an admin who
 * enables the account in the console ends the wait without a link.
 *
 * @param identityProvider the provider's alias
 * @param identityProviderUserId the user's id at the provider (the federated identity's {@code userId})
 * @param identityProviderUsername the user's name at the provider
 */
public record PendingSignup(String identityProvider, String identityProviderUserId, String identityProviderUsername) {
    /** {@value}: {@value #PENDING} while the account waits. */
    public static final String STATE = "keyward.approval";

    public static final String PENDING = "pending";
    public static final String IDENTITY_PROVIDER = "keyward.approval.idp";
    public static final String IDENTITY_PROVIDER_USER_ID = "keyward.approval.idp-user-id";
    public static final String IDENTITY_PROVIDER_USERNAME = "keyward.approval.idp-username";

    /** Every attribute a pending account carries, to clear on approval. */
    public static final List<String> ATTRIBUTES =
            List.of(STATE, IDENTITY_PROVIDER, IDENTITY_PROVIDER_USER_ID, IDENTITY_PROVIDER_USERNAME);

    public PendingSignup {
        if (isBlank(identityProvider) || isBlank(identityProviderUserId)) {
            throw new IllegalArgumentException("a pending sign-up needs the provider and the user's id there");
        }
    }

    /** @return the attributes to set on the new account */
    public Map<String, String> attributes() {
        return Map.of(
                STATE,
                PENDING,
                IDENTITY_PROVIDER,
                identityProvider,
                IDENTITY_PROVIDER_USER_ID,
                identityProviderUserId,
                IDENTITY_PROVIDER_USERNAME,
                identityProviderUsername == null ? "" : identityProviderUsername);
    }

    /**
     * @param enabled whether the account is enabled
     * @param first an account's first value of an attribute, or null
     * @return the pending sign-up, if the account is one: disabled, {@value #STATE} {@value #PENDING}
     *     and a complete identity
     */
    public static Optional<PendingSignup> of(boolean enabled, java.util.function.Function<String, String> first) {
        if (enabled || !PENDING.equals(first.apply(STATE))) {
            return Optional.empty();
        }
        String idp = first.apply(IDENTITY_PROVIDER);
        String id = first.apply(IDENTITY_PROVIDER_USER_ID);
        if (isBlank(idp) || isBlank(id)) {
            return Optional.empty();
        }
        String name = first.apply(IDENTITY_PROVIDER_USERNAME);
        return Optional.of(new PendingSignup(idp, id, isBlank(name) ? null : name));
    }

    /** @return whether this is the sign-up of that identity */
    public boolean isFor(String alias, String userId) {
        return identityProvider.equals(alias) && identityProviderUserId.equals(userId);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
