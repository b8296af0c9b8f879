package dev.keyward.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatorConfigModel;

/** The pure rules: when approval is on, what makes an account pending, which ids the API looks up. */
class ApprovalRulesTest {
    @Test
    void onlyTrueTurnsApprovalOn() {
        assertFalse(ApprovalOption.required(null));
        assertFalse(ApprovalOption.required(Map.of()));
        assertFalse(ApprovalOption.required(Map.of(ApprovalOption.KEY, "yes")));
        assertFalse(ApprovalOption.required(Map.of(ApprovalOption.KEY, "false")));
        assertTrue(ApprovalOption.required(Map.of(ApprovalOption.KEY, "true")));
        assertTrue(ApprovalOption.required(Map.of(ApprovalOption.KEY, " TRUE ")));
    }

    @Test
    void aPendingSignupRoundTripsThroughItsAttributes() {
        PendingSignup signup = new PendingSignup("upstream", "sub-1", "ada");
        Map<String, String> attributes = signup.attributes();
        assertEquals(PendingSignup.PENDING, attributes.get(PendingSignup.STATE));
        assertEquals(Optional.of(signup), PendingSignup.of(false, attributes::get));
        assertTrue(signup.isFor("upstream", "sub-1"));
        assertFalse(signup.isFor("upstream", "sub-2"));
        assertFalse(signup.isFor("other", "sub-1"));
    }

    @Test
    void onlyADisabledAccountWithTheWholeIdentityIsPending() {
        Map<String, String> attributes = new HashMap<>(new PendingSignup("upstream", "sub-1", null).attributes());
        // an enabled account (an admin enabled it, or a user wrote the attributes) is not pending
        assertTrue(PendingSignup.of(true, attributes::get).isEmpty());
        assertTrue(PendingSignup.of(false, attributes::get).isPresent());
        attributes.put(PendingSignup.STATE, "approved");
        assertTrue(PendingSignup.of(false, attributes::get).isEmpty());
        attributes.put(PendingSignup.STATE, PendingSignup.PENDING);
        attributes.remove(PendingSignup.IDENTITY_PROVIDER_USER_ID);
        assertTrue(PendingSignup.of(false, attributes::get).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new PendingSignup("upstream", " ", "x"));
        assertThrows(IllegalArgumentException.class, () -> new PendingSignup(null, "sub", "x"));
    }

    @Test
    void mailIsOnUnlessTheStepSaysFalse() {
        assertTrue(SignupApprovalAuthenticator.notifyByEmail(null));
        AuthenticatorConfigModel config = new AuthenticatorConfigModel();
        assertTrue(SignupApprovalAuthenticator.notifyByEmail(config));
        config.setConfig(new HashMap<>(Map.of(SignupApprovalAuthenticatorFactory.NOTIFY_BY_EMAIL, "true")));
        assertTrue(SignupApprovalAuthenticator.notifyByEmail(config));
        config.getConfig().put(SignupApprovalAuthenticatorFactory.NOTIFY_BY_EMAIL, "false");
        assertFalse(SignupApprovalAuthenticator.notifyByEmail(config));
    }

    @Test
    void userIdsTheApiLooksUp() {
        assertTrue(SignupApprovalResource.USER_ID
                .matcher("0b3f4a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
                .matches());
        assertFalse(SignupApprovalResource.USER_ID.matcher("").matches());
        assertFalse(SignupApprovalResource.USER_ID.matcher("../users").matches());
        assertFalse(SignupApprovalResource.USER_ID.matcher("x".repeat(65)).matches());
        assertFalse(SignupApprovalResource.USER_ID.matcher("a' or '1'='1").matches());
    }
}
