package dev.keyward.mfa;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.userprofile.ValidationException;

/** The switches' one setting: how recent the proven methods must be. */
class TwoFactorSwitchFactoryTest {
    private final TwoFactorSwitchFactory factory = new DisableTwoFactorActionFactory();

    private static RequiredActionConfigModel config(String value) {
        RequiredActionConfigModel model = new RequiredActionConfigModel();
        model.setConfig(value == null ? Map.of() : Map.of(TwoFactorSwitchFactory.PROOF_SECONDS, value));
        return model;
    }

    @Test
    void withoutConfigTheProofAgeIsKeycloaksActionAge() {
        assertEquals(300, TwoFactorSwitchFactory.proofSeconds(null));
        assertEquals(300, TwoFactorSwitchFactory.proofSeconds(config(null)));
    }

    @Test
    void aConfiguredAgeWithinItsRangeIsUsed() {
        assertEquals(20, TwoFactorSwitchFactory.proofSeconds(config("20")));
        assertEquals(3600, TwoFactorSwitchFactory.proofSeconds(config(" 3600 ")));
        assertDoesNotThrow(() -> factory.validateConfig(null, null, config("1")));
        assertDoesNotThrow(() -> factory.validateConfig(null, null, config(null)));
    }

    @Test
    void anAgeOutsideItsRangeIsRefusedOnSaveAndNeverWidensTheWindow() {
        for (String bad : new String[] {"0", "-5", "3601", "86400", "ten", ""}) {
            assertThrows(ValidationException.class, () -> factory.validateConfig(null, null, config(bad)), bad);
            assertEquals(300, TwoFactorSwitchFactory.proofSeconds(config(bad)), bad);
        }
    }
}
