package dev.keyward.it.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.Mailbox;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ${vault.smtp_password}} in a realm's SMTP settings, resolved by the pack's Vault SPI
 * provider from the realm's secret in the credential vault: an SMTP server that requires
 * authentication refuses the mail while the stored secret is wrong, and takes it once an admin has
 * stored the right one. The password never appears in the realm settings or the log.
 */
class VaultSmtpIT {
    private static final String REALM = "keyward-vault-smtp-it";
    private static final String SMTP_USER = "relay";
    private static final String SMTP_PASSWORD = "smtp-" + KeycloakServer.randomSecret();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_USER, SMTP_PASSWORD))
            .withPerMethodLifecycle(false);

    @Test
    void theRealmsSmtpPasswordComesFromTheVault() throws Exception {
        KeycloakServer keycloak = KeycloakServer.get();
        AdminApi admin = new AdminApi(keycloak);
        Map<String, String> smtp = new HashMap<>(Mailbox.realmSmtp(MAIL));
        smtp.put("auth", "true");
        smtp.put("user", SMTP_USER);
        smtp.put("password", "${vault.smtp_password}");
        admin.send("POST", "/admin/realms", Map.of("realm", REALM, "enabled", true, "smtpServer", smtp));
        String user = admin.createUser(REALM, "mia", "mia@example.test", KeycloakServer.randomSecret());
        String secret = "/admin/realms/" + REALM + "/keyward-vault/secrets/smtp_password";
        String sendMail = "/admin/realms/" + REALM + "/users/" + user + "/execute-actions-email";

        admin.send("PUT", secret, Map.of("value", "wrong-" + KeycloakServer.randomSecret()));
        HttpResponse<String> refused = admin.exchange("PUT", sendMail, List.of("UPDATE_PASSWORD"));
        assertNotEquals(204, refused.statusCode(), "mail sent with a wrong SMTP password: " + refused.body());
        assertEquals(0, MAIL.getReceivedMessages().length);

        admin.send("PUT", secret, Map.of("value", SMTP_PASSWORD));
        assertEquals(
                204, admin.exchange("PUT", sendMail, List.of("UPDATE_PASSWORD")).statusCode());
        new Mailbox(MAIL).awaitNth("mia@example.test", 1, Duration.ofSeconds(30));

        assertNotEquals(
                SMTP_PASSWORD,
                admin.realm(REALM).get("smtpServer").get("password").asText());
        assertFalse(Files.readString(keycloak.logFile()).contains(SMTP_PASSWORD), "the SMTP password reached the log");
    }
}
