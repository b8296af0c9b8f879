package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StrandingConsentTest {

    @Test
    void onlyTrueIsADryRunAndOnlyTrueOrFalseAreAccepted() throws Exception {
        assertTrue(StrandingConsent.parse("true", null).dryRun());
        assertFalse(StrandingConsent.parse("false", null).dryRun());
        assertFalse(StrandingConsent.parse(null, null).dryRun());
        for (String typo : new String[] {"1", "yes", "TRUE", "", "tru"}) {
            assertThrows(InvalidInputException.class, () -> StrandingConsent.parse(typo, null), typo);
        }
    }

    @Test
    void aChangeThatStrandsNoneNeedsNoConsent() throws Exception {
        assertTrue(StrandingConsent.parse(null, null).allows(0));
        assertTrue(StrandingConsent.parse(null, "0").allows(0));
    }

    @Test
    void aChangeThatStrandsSomeNeedsAtLeastThatMany() throws Exception {
        assertFalse(StrandingConsent.parse(null, null).allows(3));
        assertFalse(StrandingConsent.parse(null, "2").allows(3));
        assertTrue(StrandingConsent.parse(null, "3").allows(3));
        assertTrue(StrandingConsent.parse(null, "10").allows(3));
        for (String bad : new String[] {"-1", "x", "", "3.0", "99999999999999999999"}) {
            assertThrows(InvalidInputException.class, () -> StrandingConsent.parse(null, bad), bad);
        }
    }

    @Test
    void theAnswerIsTheDefinitionWithTheCount() {
        ProviderDefinition d = new ProviderDefinition("media", "Media", CredentialKind.BEARER, null, null);
        Map<String, Object> answer = StrandingConsent.answer(d, 2);
        assertEquals("media", answer.get("id"));
        assertEquals("bearer", answer.get("credentialKind"));
        assertEquals(2L, answer.get("strandedCredentials"));
    }
}
