package dev.keyward.it.harness;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The setup the test classes used to repeat in their {@code @BeforeAll} and {@code @AfterAll}
 * methods, registered with {@link KeywardTest}. Before the class's own {@code @BeforeAll} methods,
 * each static, non-final field of the test class whose value is still null is set by its type:
 *
 * <ul>
 *   <li>{@link KeycloakServer}: the JVM's shared server ({@link KeycloakServer#get()}; the first
 *       class that asks starts it);
 *   <li>{@link AdminApi}: an admin API client of that server;
 *   <li>{@link VaultApi}: a credential-vault API client of that server;
 *   <li>{@link Mailbox}: a GreenMail SMTP server of this class's own on 127.0.0.1 and a free port
 *       ({@link Mailbox#realmSmtp()} gives a realm's settings for it), stopped after the class.
 * </ul>
 */
public final class KeywardExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KeywardExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field field : testClass.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
                continue;
            }
            field.setAccessible(true);
            if (field.get(null) != null) {
                continue;
            }
            Class<?> type = field.getType();
            if (type == KeycloakServer.class) {
                field.set(null, KeycloakServer.get());
            } else if (type == AdminApi.class) {
                field.set(null, new AdminApi(KeycloakServer.get()));
            } else if (type == VaultApi.class) {
                field.set(null, new VaultApi(KeycloakServer.get()));
            } else if (type == Mailbox.class) {
                field.set(null, new Mailbox(smtpServer(context)));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        GreenMail smtp = context.getStore(NAMESPACE).remove("smtp", GreenMail.class);
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** This class's SMTP server, started on first use. */
    private static GreenMail smtpServer(ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "smtp",
                        key -> {
                            GreenMail smtp = new GreenMail(
                                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
                            smtp.start();
                            return smtp;
                        },
                        GreenMail.class);
    }
}
