package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.keyward.common.MessageBundles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The email-code pages and mail in every language of Keycloak's login theme: same keys as English, valid patterns. */
class MessagesTest {
    private static final String MESSAGES = "src/main/resources/theme-resources/messages";

    @Test
    void everyLocaleHasEveryKeyAndNoOther() {
        MessageBundles.in(MESSAGES).assertComplete(MessageBundles.KEYCLOAK_LOGIN_LOCALES);
    }

    /**
     * The "if an account exists" lines take no parameter, so the typed name is never echoed (under
     * Keycloak's base theme a message's parameters are printed unescaped); the placeholder check of
     * {@link #everyLocaleHasEveryKeyAndNoOther} holds every language to the English.
     */
    @Test
    void theIfExistsLinesNameNobody() {
        Map<String, String> english = MessageBundles.in(MESSAGES).texts("en");
        for (String key : List.of(EmailCodeConstants.MSG_SENT_IF_EXISTS, EmailCodeConstants.MSG_RESENT_IF_EXISTS)) {
            assertFalse(english.get(key).contains("{"), key + ": " + english.get(key));
        }
    }
}
