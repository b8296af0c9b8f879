package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailCodeSettingsTest {
    @Test
    void defaultsAreTheIssuesDefaults() {
        EmailCodeSettings d = EmailCodeSettings.from(Map.of());
        assertEquals(
                new EmailCodeSettings(
                        6, CodeAlphabet.DIGITS, Duration.ofMinutes(10), 5, Duration.ofSeconds(60), 5, false, false),
                d);
        assertEquals(d, EmailCodeSettings.from(null));
        assertEquals(d, EmailCodeSettings.from(Map.of(EmailCodeSettings.LENGTH, " ", EmailCodeSettings.ALPHABET, "")));
    }

    @Test
    void readsEveryValue() {
        EmailCodeSettings s = EmailCodeSettings.from(Map.of(
                EmailCodeSettings.LENGTH,
                "8",
                EmailCodeSettings.ALPHABET,
                "uppercase-no-ambiguous",
                EmailCodeSettings.LIFETIME_SECONDS,
                "300",
                EmailCodeSettings.MAX_ATTEMPTS,
                "3",
                EmailCodeSettings.RESEND_COOLDOWN_SECONDS,
                "0",
                EmailCodeSettings.MAX_SENDS_PER_HOUR,
                "2",
                EmailCodeSettings.MARK_EMAIL_VERIFIED,
                "true",
                EmailCodeSettings.REQUEST_DETAILS_IN_EMAIL,
                "true"));
        assertEquals(
                new EmailCodeSettings(
                        8, CodeAlphabet.UPPERCASE_NO_AMBIGUOUS, Duration.ofMinutes(5), 3, Duration.ZERO, 2, true, true),
                s);
    }

    @Test
    void outOfBoundsValuesNameTheSetting() {
        for (Map<String, String> bad : List.of(
                Map.of(EmailCodeSettings.LENGTH, "5"),
                Map.of(EmailCodeSettings.LENGTH, "11"),
                Map.of(EmailCodeSettings.LENGTH, "six"),
                Map.of(EmailCodeSettings.MAX_ATTEMPTS, "0"),
                Map.of(EmailCodeSettings.LIFETIME_SECONDS, "59"),
                Map.of(EmailCodeSettings.MAX_SENDS_PER_HOUR, "21"),
                Map.of(EmailCodeSettings.RESEND_COOLDOWN_SECONDS, "-1"),
                Map.of(EmailCodeSettings.ALPHABET, "hex"),
                Map.of(EmailCodeSettings.MARK_EMAIL_VERIFIED, "yes"),
                Map.of(EmailCodeSettings.REQUEST_DETAILS_IN_EMAIL, "1"))) {
            InvalidSettingException e =
                    assertThrows(InvalidSettingException.class, () -> EmailCodeSettings.from(bad), bad::toString);
            String key = bad.keySet().iterator().next();
            assertEquals(key, e.setting());
            assertTrue(e.getMessage().startsWith(key + " must be"), e.getMessage());
        }
    }
}
