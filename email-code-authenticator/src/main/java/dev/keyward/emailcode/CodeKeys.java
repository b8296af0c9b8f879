package dev.keyward.emailcode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The per-realm key codes are hashed with: derived from the realm's active HS512 key (Keycloak's
 * {@code hmac-generated} provider creates and rotates it, and every node of a cluster reads the
 * same one), under a label of our own so the stored digests have nothing to do with token
 * signatures. A code made under a key that has since been removed fails like an expired one.
 */
final class CodeKeys {
    private static final byte[] LABEL = "keyward-email-code/v1".getBytes(StandardCharsets.UTF_8);

    /** @param id the realm key's kid; @param bytes the derived HMAC key */
    record Key(String id, byte[] bytes) {}

    private CodeKeys() {}

    /** @return the key new codes are hashed with */
    static Key active(KeycloakSession session, RealmModel realm) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        return new Key(key.getKid(), derive(key));
    }

    /** @return the derived key for {@code kid}, or null when the realm no longer has it */
    static byte[] byId(KeycloakSession session, RealmModel realm, String kid) {
        KeyWrapper key = session.keys().getKey(realm, kid, KeyUse.SIG, Algorithm.HS512);
        return key == null || key.getSecretKey() == null ? null : derive(key);
    }

    private static byte[] derive(KeyWrapper key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getSecretKey().getEncoded(), "HmacSHA256"));
            return mac.doFinal(LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
