package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.RequiredActionProviderModel;

class OpaqueResetAuthenticatorTest {
    private final OpaqueResetAuthenticatorFactory factory = new OpaqueResetAuthenticatorFactory();

    @Test
    void isRegisteredAsKeywardOpaqueReset() {
        List<String> ids = ServiceLoader.load(AuthenticatorFactory.class).stream()
                .map(p -> p.get().getId())
                .toList();
        assertTrue(ids.contains("keyward-opaque-reset"), ids::toString);
        assertEquals("keyward-opaque-reset", factory.getId());
    }

    @Test
    void offersOnlyRequiredOrDisabled() {
        assertArrayEquals(
                new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED}, factory.getRequirementChoices());
        // a caller mutating the array must not change what the next caller sees
        factory.getRequirementChoices()[0] = Requirement.ALTERNATIVE;
        assertEquals(Requirement.REQUIRED, factory.getRequirementChoices()[0]);
    }

    @Test
    void checksNoCredentialSoHasNoReferenceCategory() {
        assertNull(factory.getReferenceCategory());
        assertFalse(factory.isConfigurable());
        assertFalse(factory.isUserSetupAllowed());
        assertTrue(factory.getConfigProperties().isEmpty());
        assertTrue(factory.create(null).requiresUser(), "runs after Choose User");
        assertTrue(factory.create(null).configuredFor(null, null, null));
        assertTrue(factory.getHelpText().contains(OpaqueConstants.REGISTER_ACTION_ID));
    }

    @Test
    void needsTheRegisterActionRegisteredAndEnabled() {
        assertFalse(OpaqueRegisterAction.usable(null), "not registered in the realm");
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(OpaqueConstants.REGISTER_ACTION_ID);
        action.setProviderId(OpaqueConstants.REGISTER_ACTION_ID);
        action.setEnabled(false);
        assertFalse(OpaqueRegisterAction.usable(action), "disabled");
        action.setEnabled(true);
        assertTrue(OpaqueRegisterAction.usable(action));
        action.setProviderId("UPDATE_PASSWORD");
        assertFalse(OpaqueRegisterAction.usable(action), "alias taken by another provider");
    }
}
