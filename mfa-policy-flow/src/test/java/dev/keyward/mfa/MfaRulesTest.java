package dev.keyward.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.FakeFlow;
import dev.keyward.common.FakeFlow.Outcome;
import dev.keyward.common.KeywardIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.Constants;
import org.keycloak.models.WebAuthnPolicy;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * The two-factor policy's rules on a fake flow context: which methods count as usable, which a
 * login has proven, when the second-factor branch runs, and that the direct grant is refused.
 * The integration tests run the same rules in Keycloak's flows.
 */
class MfaRulesTest {
    private final FakeFlow flow = new FakeFlow();
    private final WebAuthnPolicy passwordless = new WebAuthnPolicy();
    private FakeFlow.User alice;

    @BeforeEach
    void realmWithAnOpaqueFormAndAnEmailCodeStep() {
        AuthenticationFlowModel browser = new AuthenticationFlowModel();
        browser.setId("browser");
        browser.setTopLevel(true);
        AuthenticationExecutionModel opaque = step("e-opaque", KeywardIds.OPAQUE_AUTHENTICATOR);
        AuthenticationExecutionModel email = step("e-email", KeywardIds.EMAIL_CODE_AUTHENTICATOR);
        flow.realmAnswers
                .on("getAuthenticationFlowsStream", a -> java.util.stream.Stream.of(browser))
                .on("getAuthenticationExecutionsStream", a -> java.util.stream.Stream.of(opaque, email))
                .on("getAuthenticationExecutionById", a -> switch ((String) a[0]) {
                    case "e-opaque" -> opaque;
                    case "e-email" -> email;
                    default -> null;
                })
                .on("getWebAuthnPolicyPasswordless", a -> passwordless)
                .returning("getSmtpConfig", Map.of("host", "smtp.example.com"));
        alice = flow.addUser("a11ce-id", "alice", "alice@example.com");
        alice.stored.put(KeywardIds.OPAQUE_CREDENTIAL_TYPE, List.of(new CredentialModel()));
        alice.configured.add(KeywardIds.EMAIL_CODE_CREDENTIAL_TYPE);
    }

    private static AuthenticationExecutionModel step(String id, String authenticator) {
        AuthenticationExecutionModel e = new AuthenticationExecutionModel();
        e.setId(id);
        e.setAuthenticator(authenticator);
        e.setParentFlow("browser");
        e.setRequirement(AuthenticationExecutionModel.Requirement.ALTERNATIVE);
        return e;
    }

    @Test
    void aMethodCountsOnlyWhenTheUserHasItAndTheRealmOffersIt() {
        assertEquals(
                Set.of(LocalMethod.PASSWORD, LocalMethod.EMAIL_CODE),
                UsableMethods.of(flow.session(), flow.realm(), alice.model()));
        assertTrue(UsableMethods.enoughForTwoFactor(UsableMethods.of(flow.session(), flow.realm(), alice.model())));

        // a stored passkey counts only where the realm signs in with passkeys
        alice.stored.put(LocalMethod.PASSKEY.credentialType(), List.of(new CredentialModel()));
        assertFalse(
                UsableMethods.of(flow.session(), flow.realm(), alice.model()).contains(LocalMethod.PASSKEY));
        passwordless.setPasskeysEnabled(true);
        assertTrue(UsableMethods.of(flow.session(), flow.realm(), alice.model()).contains(LocalMethod.PASSKEY));

        // no SMTP: no email codes, whatever the user has
        flow.realmAnswers.returning("getSmtpConfig", Map.of());
        assertFalse(
                UsableMethods.of(flow.session(), flow.realm(), alice.model()).contains(LocalMethod.EMAIL_CODE));
    }

    @Test
    void theOpaqueFormsPasswordCategoryAndCompletedStepsAreProvenMethods() {
        flow.authNotes.put("authn.credentials", "[\"password\",\"otp\"]");
        assertEquals(Set.of(LocalMethod.PASSWORD), ProvenMethods.of(flow.realm(), authSession()));
        flow.userSessionNotes.put(Constants.AUTHENTICATORS_COMPLETED, "{\"e-email\":100}");
        assertEquals(
                Set.of(LocalMethod.PASSWORD, LocalMethod.EMAIL_CODE), ProvenMethods.of(flow.realm(), authSession()));
        assertEquals(Set.of(LocalMethod.PASSWORD), ProvenMethods.since(flow.realm(), authSession(), 101));
        assertEquals(Optional.empty(), LocalMethod.ofRecordedType("otp"));
        assertEquals(Optional.of(LocalMethod.PASSKEY), LocalMethod.ofRecordedType("webauthn-passwordless"));
    }

    @Test
    void theSecondFactorBranchRunsForATwoFactorUserAndAsksForTheLevel() {
        flow.user = alice;
        SecondFactorCondition condition = new SecondFactorCondition();
        assertFalse(condition.matchCondition(flow.get()), "two-factor off, nothing asked");
        alice.attributes.put(TwoFactorConstants.ATTRIBUTE, List.of(TwoFactorConstants.ON));
        assertTrue(condition.matchCondition(flow.get()));
        assertEquals(
                Integer.toString(TwoFactorConstants.TWO_FACTOR_LOA),
                flow.clientNotes.get(Constants.REQUESTED_LEVEL_OF_AUTHENTICATION));
    }

    @Test
    void thePasswordGrantIsRefusedWithAnOauthError() {
        new DirectGrantRefusalAuthenticator().authenticate(flow.post(Map.of("username", "alice", "password", "pw")));
        assertEquals(Outcome.FAILURE, flow.outcome);
        assertEquals(AuthenticationFlowError.ACCESS_DENIED, flow.error);
        assertEquals(400, flow.response.getStatus());
        assertEquals("unauthorized_client", ((OAuth2ErrorRepresentation) flow.response.getEntity()).getError());
        assertEquals("not_allowed", flow.events.get(0).error());
    }

    @Test
    void theMethodRunsOnTheRealContextWithItsOwnSettingsAndSuccess() {
        org.keycloak.models.AuthenticatorConfigModel config = new org.keycloak.models.AuthenticatorConfigModel();
        List<String> succeeded = new java.util.ArrayList<>();
        org.keycloak.authentication.AuthenticationFlowContext real = flow.get();
        org.keycloak.authentication.AuthenticationFlowContext method =
                DelegatingFlowContext.wrap(real, null, config, true, succeeded::add);
        assertEquals(config, method.getAuthenticatorConfig());
        assertEquals(flow.realm(), method.getRealm());
        method.challenge(method.form().createForm("method.ftl"));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(true, flow.page.attributes().get(DelegatingFlowContext.SWITCH_ATTRIBUTE));
        method.success("keyward-email-code");
        assertEquals(List.of("keyward-email-code"), succeeded);
        assertEquals(Outcome.CHALLENGE, flow.outcome, "the step, not the method, decides when the flow goes on");
        assertEquals(method, method);
    }

    private org.keycloak.sessions.AuthenticationSessionModel authSession() {
        return flow.get().getAuthenticationSession();
    }
}
