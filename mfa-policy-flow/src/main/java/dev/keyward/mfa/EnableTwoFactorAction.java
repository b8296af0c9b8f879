package dev.keyward.mfa;

import dev.keyward.common.KeywardIds;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.Details;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * "Enable two-factor sign-in" ({@code keyward-enable-two-factor}), as a required action or
 * application-initiated ({@code kc_action}). It switches {@code two_factor_enabled} on only when
 * the user has two usable local methods ({@link UsableMethods}) and this login has just proven two
 * of them: the browser flow's {@link SecondFactorCondition} asks for a second factor whenever this
 * action is on its way, and as an application-initiated action it always re-authenticates first
 * ({@link #getMaxAuthAge}). A method set up from this page during the login counts as proven: its
 * setup is itself a proof of possession, and it was reached only through a fresh first factor.
 *
 * <p>With fewer than two usable methods the page says which ones the user has and offers the
 * realm's setup action of each missing one; the action comes back here once the setup is done.
 * Switching on ends every other session of the user and makes all earlier tokens invalid.
 */
public class EnableTwoFactorAction extends TwoFactorSwitch {
    static final String TEMPLATE = "keyward-enable-two-factor.ftl";
    static final String FIELD_SETUP = "keyward_2fa_setup";
    private static final String NOTE_SET_UP = "keyward-2fa-enable.set-up";

    /** @param session the request's session */
    public EnableTwoFactorAction(KeycloakSession session) {
        super(session);
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        UserModel user = context.getUser();
        if (TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE))) {
            context.success();
            return;
        }
        RealmModel realm = context.getRealm();
        Set<LocalMethod> usable = UsableMethods.of(session, realm, user);
        Set<LocalMethod> proven = proven(context);
        proven.retainAll(usable);
        if (UsableMethods.enoughForTwoFactor(proven)) {
            user.setSingleAttribute(TwoFactorConstants.ATTRIBUTE, TwoFactorConstants.ON);
            if (context.getAuthenticationSession().getUserSessionNotes().get(Details.IDENTITY_PROVIDER) == null) {
                // two of this user's methods proven in this login, so the completion check that runs
                // after this action lets it through; not after a provider login, which can change the
                // tab's user mid-flow, so that the methods proven so far may be another user's
                TwoFactorProof.record(context.getAuthenticationSession(), user);
            }
            SessionRevoker.revokeAllBut(
                    session,
                    realm,
                    user,
                    context.getAuthenticationSession().getParentSession().getId());
            context.getEvent()
                    .detail(Details.CUSTOM_REQUIRED_ACTION, EnableTwoFactorActionFactory.ID)
                    .detail("two_factor", "on");
            context.success();
            return;
        }
        context.challenge(context.form()
                .setAttribute(
                        "keywardUsableMethods", usable.stream().map(Enum::name).toList())
                .setAttribute(
                        "keywardSetupMethods",
                        setups(realm, user, usable).keySet().stream()
                                .map(Enum::name)
                                .toList())
                .setAttribute("keywardNeedsFreshLogin", UsableMethods.enoughForTwoFactor(usable))
                .createForm(TEMPLATE));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String picked = form.getFirst(FIELD_SETUP);
        UserModel user = context.getUser();
        RealmModel realm = context.getRealm();
        Map<LocalMethod, String> setups = setups(realm, user, UsableMethods.of(session, realm, user));
        LocalMethod method = setups.keySet().stream()
                .filter(m -> m.name().equals(picked))
                .findFirst()
                .orElse(null);
        if (method == null) {
            requiredActionChallenge(context);
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(NOTE_SET_UP, addTo(authSession.getAuthNote(NOTE_SET_UP), method));
        authSession.addRequiredAction(setups.get(method));
        // the setup action sorts before this one (kc_action runs last; the export gives this one a
        // late priority), so Keycloak runs it next and comes back here when it is done
        context.challenge(AuthenticationManager.nextActionAfterAuthentication(
                session,
                authSession,
                session.getContext().getConnection(),
                context.getHttpRequest(),
                session.getContext().getUri(),
                context.getEvent()));
    }

    /** Methods proven within the proof age, plus those set up from this page in this login. */
    private Set<LocalMethod> proven(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        Set<LocalMethod> proven = provenRecently(context);
        String setUp = authSession.getAuthNote(NOTE_SET_UP);
        if (setUp != null) {
            for (String name : setUp.split(",")) {
                proven.add(LocalMethod.valueOf(name));
            }
        }
        return proven;
    }

    private static String addTo(String list, LocalMethod method) {
        return list == null || list.isEmpty() ? method.name() : list + "," + method.name();
    }

    /**
     * The realm's enabled setup action for each method the user does not have yet, where the realm
     * offers that method at all: password ({@code keyward-opaque-register}), passkey
     * ({@code webauthn-register-passwordless}), email code (verify the address, or first add one).
     */
    static Map<LocalMethod, String> setups(RealmModel realm, UserModel user, Set<LocalMethod> usable) {
        Map<LocalMethod, String> setups = new LinkedHashMap<>();
        EnumSet<LocalMethod> missing = EnumSet.allOf(LocalMethod.class);
        missing.removeAll(usable);
        for (LocalMethod method : missing) {
            String action = switch (method) {
                case PASSWORD -> KeywardIds.OPAQUE_REGISTER_ACTION;
                case PASSKEY -> UsableMethods.offersPasskeys(realm) ? "webauthn-register-passwordless" : null;
                case EMAIL_CODE ->
                    !UsableMethods.offersEmailCodes(realm)
                            ? null
                            : user.getEmail() == null || user.getEmail().isBlank()
                                    ? "UPDATE_PROFILE"
                                    : user.isEmailVerified() ? null : "VERIFY_EMAIL";
            };
            if (action != null && enabled(realm, action)) {
                setups.put(method, action);
            }
        }
        return setups;
    }

    private static boolean enabled(RealmModel realm, String alias) {
        RequiredActionProviderModel model = realm.getRequiredActionProviderByAlias(alias);
        return model != null && model.isEnabled();
    }
}
