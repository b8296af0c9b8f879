package dev.keyward.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class against the JVM's shared Keycloak: {@link KeywardExtension} sets its static fields
 * of type {@link KeycloakServer}, {@link AdminApi}, {@link VaultApi} and {@link Mailbox} before its
 * {@code @BeforeAll} methods run, so a class declares what it needs and sets up only its own realm.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KeywardExtension.class)
public @interface KeywardTest {}
