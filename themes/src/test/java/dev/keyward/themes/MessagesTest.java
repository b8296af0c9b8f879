package dev.keyward.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.common.MessageBundles;
import org.junit.jupiter.api.Test;

/**
 * The keyward themes offer every language of Keycloak's login theme, and their messages are there
 * in each: same keys as English, valid patterns.
 */
class MessagesTest {
    private static final String THEME = "src/main/resources/theme/keyward/";

    @Test
    void loginThemeOffersKeycloaksLoginLocales() {
        assertEquals(
                MessageBundles.KEYCLOAK_LOGIN_LOCALES, MessageBundles.themeLocales(THEME + "login/theme.properties"));
    }

    @Test
    void emailThemeOffersTheSameLocales() {
        assertEquals(
                MessageBundles.KEYCLOAK_LOGIN_LOCALES, MessageBundles.themeLocales(THEME + "email/theme.properties"));
    }

    @Test
    void loginMessagesInEveryLocale() {
        MessageBundles.in(THEME + "login/messages")
                .assertComplete(MessageBundles.themeLocales(THEME + "login/theme.properties"));
    }

    @Test
    void emailMessagesInEveryLocale() {
        MessageBundles.in(THEME + "email/messages")
                .assertComplete(MessageBundles.themeLocales(THEME + "email/theme.properties"));
    }
}
