package dev.keyward.opaque.authenticator;

import dev.keyward.common.MessageBundles;
import org.junit.jupiter.api.Test;

/** The OPAQUE password pages in every language of Keycloak's login theme: same keys as English, valid patterns. */
class MessagesTest {
    @Test
    void everyLocaleHasEveryKeyAndNoOther() {
        MessageBundles.in("src/main/resources/theme-resources/messages")
                .assertComplete(MessageBundles.KEYCLOAK_LOGIN_LOCALES);
    }
}
